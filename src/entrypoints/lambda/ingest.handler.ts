// SQS batch of S3 object-created notifications -> land each file. Each message succeeds or
// fails on its own: a failure is reported in batchItemFailures so SQS redelivers only it.
// A file at or above INGEST_TASK_MIN_BYTES (the S3 event gives its size before it is opened)
// is not landed here but handed to the ECS ingest task, which runs the same LandFile use case
// without the Lambda's memory and 15-minute limits (docs/scaling.md).
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { awsApp, type AwsApp } from '../composition/aws.container.js';
import { landOneFile } from './land-one-file.js';
import { countMetric, flushMetrics, logger } from './observability.js';
import { landedObjectsOf, type LandedObject } from './s3-notification.codec.js';

const processor = new BatchProcessor(EventType.SQS);

export interface IngestRouting {
  /** files of this many bytes or more go to the ECS ingest task; null: every file lands here */
  readonly taskMinBytes: number | null;
}

export const ingestRoutingFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
): IngestRouting => {
  const text = env['INGEST_TASK_MIN_BYTES'];
  if (text === undefined || text === '') return { taskMinBytes: null };
  const bytes = Number(text);
  if (!Number.isSafeInteger(bytes) || bytes <= 0)
    throw new Error(`INGEST_TASK_MIN_BYTES must be a positive integer (got ${text})`);
  return { taskMinBytes: bytes };
};

const goesToTask = (
  object: LandedObject,
  routing: IngestRouting,
): object is LandedObject & {
  size: number;
} =>
  routing.taskMinBytes !== null && object.size !== undefined && object.size >= routing.taskMinBytes;

export const makeIngestHandler =
  (app: () => AwsApp, routing: IngestRouting = ingestRoutingFromEnv(process.env)) =>
  async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const landRecord = async (record: SQSRecord): Promise<void> => {
      for (const object of landedObjectsOf(record.body)) {
        const fileKey = object.key;
        if (goesToTask(object, routing)) {
          const started = await app().startIngestTask({
            key: fileKey,
            size: object.size,
            ...(object.sequencer === undefined ? {} : { sequencer: object.sequencer }),
          });
          logger.info('file handed to the ECS ingest task', {
            fileKey,
            size: object.size,
            ...started,
          });
          countMetric('FilesToIngestTask');
          continue;
        }
        try {
          await landOneFile(app, fileKey);
        } catch (error) {
          logger.error('file not processed: SQS will redeliver it', { fileKey, error });
          throw error;
        }
      }
    };
    try {
      // throwOnFullBatchFailure stays on: a batch where everything failed is retried whole.
      // One record after another: a landing streams its file but keeps the decoded columns of
      // one file in memory; parallel records would multiply that peak. The stack also sends one
      // record per batch, and files above the size limit never open here, so a file that runs
      // out of memory or time cannot take other files down with it.
      return await processPartialResponse(event, landRecord, processor, {
        ...(context === undefined ? {} : { context }),
        processInParallel: false,
      });
    } finally {
      flushMetrics();
    }
  };

export const handler = makeIngestHandler(awsApp);
