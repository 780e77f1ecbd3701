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
        logger.appendKeys({ fileKey: object.key });
        try {
          const outcome = await app().landFile(object.key);
          logger.info('file processed', { ...outcome });
          countMetric('files');
          if (outcome.status === 'rejected') countMetric('rejections');
          if (outcome.rows > 0) countMetric('rows', outcome.rows);
          if (outcome.groups > 0) countMetric('groups', outcome.groups);
        } finally {
          logger.removeKeys(['fileKey']);
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
