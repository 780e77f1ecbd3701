// SQS batch of S3 object-created notifications -> land each file. Each message succeeds or
// fails on its own: a failure is reported in batchItemFailures so SQS redelivers only it.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { awsApp, type AwsApp } from '../composition/aws.container.js';
import { countMetric, flushMetrics, logger } from './observability.js';
import { landedObjectsOf } from './s3-notification.codec.js';

const processor = new BatchProcessor(EventType.SQS);

export const makeIngestHandler =
  (app: () => AwsApp) =>
  async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const landRecord = async (record: SQSRecord): Promise<void> => {
      for (const object of landedObjectsOf(record.body)) {
        // records run in parallel, so the file key goes on each line (not the shared logger keys)
        const fileKey = object.key;
        try {
          const outcome = await app().landFile(fileKey);
          if (outcome.status === 'rejected') logger.warn('file rejected', { fileKey, ...outcome });
          else logger.info('file processed', { fileKey, ...outcome });
          countMetric('Files');
          if (outcome.status === 'rejected') countMetric('FilesRejected');
          if (outcome.rows > 0) countMetric('Rows', outcome.rows);
          if (outcome.groups > 0) countMetric('Groups', outcome.groups);
        } catch (error) {
          logger.error('file not processed: SQS will redeliver it', { fileKey, error });
          throw error;
        }
      }
    };
    try {
      // throwOnFullBatchFailure stays on: a batch where everything failed is retried whole.
      return await processPartialResponse(event, landRecord, processor, { context });
    } finally {
      flushMetrics();
    }
  };

export const handler = makeIngestHandler(awsApp);
