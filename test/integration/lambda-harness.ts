// What the Lambda handler tests share: SQS records as the event source mapping delivers them,
// and the stdout/stderr Powertools writes its JSON logs and EMF metrics to (captured per test,
// and kept out of the test report).
import type { SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, vi } from 'vitest';

export const sqsRecord = (body: string, messageId: string): SQSRecord => ({
  messageId,
  receiptHandle: 'r',
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '0',
    SenderId: 's',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:landing',
  awsRegion: 'us-east-1',
});

/** Registers hooks in the calling suite; `lines()` is what the current test has written so far. */
export const captureOutput = (): { lines: () => string[] } => {
  let chunks: string[] = [];
  beforeEach(() => {
    chunks = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        chunks.push(String(chunk));
        return true;
      });
    }
  });
  afterEach(() => vi.restoreAllMocks());
  return { lines: () => chunks.join('').split('\n') };
};
