// SQS batch of S3 object-created notifications -> land each file. Each message succeeds or
// fails on its own: a failure is reported in batchItemFailures so SQS redelivers only it.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { awsApp, type AwsApp } from '../composition/aws.container.js';
import { countMetric, flushMetrics, logger } from './observability.js';
import { landedObjectsOf } from './s3-notification.codec.js';
import { unlandableReason } from './unlandable-key.js';

const processor = new BatchProcessor(EventType.SQS);

export const makeIngestHandler =
  (app: () => AwsApp) =>
  async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const landRecord = async (record: SQSRecord): Promise<void> => {
      for (const object of landedObjectsOf(record.body)) {
        // the file key goes on each line (a record may hold several objects)
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
          const reason = unlandableReason(error, fileKey);
          if (reason !== null) {
            logger.warn('file skipped: it can never land', { fileKey, reason });
            countMetric('FilesSkipped');
            continue;
          }
          logger.error('file not processed: SQS will redeliver it', { fileKey, error });
          throw error;
        }
      }
    };
    try {
      // throwOnFullBatchFailure stays on: a batch where everything failed is retried whole.
      // One record after another: a landing streams its file but keeps the decoded columns of
      // one file in memory; parallel records would multiply that peak (the stack also sends
      // one record per batch, so an out-of-memory file never takes other files down with it).
      return await processPartialResponse(event, landRecord, processor, {
        ...(context === undefined ? {} : { context }),
        processInParallel: false,
      });
    } finally {
      flushMetrics();
    }
  };

export const handler = makeIngestHandler(awsApp);
