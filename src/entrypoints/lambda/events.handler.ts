// Pipeline events from EventBridge, through the SQS queue the rules deliver to: a GroupCompleted
// starts the group's workflow (idempotent: the execution name comes from the group id); terminal
// events are logged and counted. A message whose StartExecution fails is reported in
// batchItemFailures, so SQS redelivers it (and, after its tries, keeps it in the DLQ) instead of
// the drop that an asynchronous Lambda invoke ends in.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { awsApp, type AwsApp } from '../composition/aws.container.js';
import { busMessageOf } from './pipeline-event.codec.js';
import { countMetric, flushMetrics, logger } from './observability.js';

// FileRejected and ValidationFailed are counted where they happen (ingest, validate task).
const TERMINAL = new Set(['Archived', 'TransformFailed']);

const processor = new BatchProcessor(EventType.SQS);

const isSqsEvent = (event: unknown): event is SQSEvent =>
  typeof event === 'object' && event !== null && Array.isArray((event as SQSEvent).Records);

const handleBusEvent = async (app: () => AwsApp, event: unknown): Promise<void> => {
  const message = busMessageOf(event);
  try {
    if (message.kind === 'group-completed') {
      logger.appendKeys({ groupId: message.groupId });
      const started = await app().startWorkflow({
        groupId: message.groupId,
        manifestKey: message.manifestKey,
      });
      logger.info('workflow started', { eventId: message.id, ...started });
      return;
    }
    const groupId = typeof message.data['groupId'] === 'string' ? message.data['groupId'] : null;
    if (groupId !== null) logger.appendKeys({ groupId });
    if (TERMINAL.has(message.type)) {
      logger.info('group finished', { eventId: message.id, type: message.type, ...message.data });
      countMetric(message.type === 'Archived' ? 'GroupsArchived' : 'GroupsFailed');
    } else {
      logger.debug('event ignored', { eventId: message.id, type: message.type });
    }
  } finally {
    logger.removeKeys(['groupId']);
  }
};

export const makeEventsHandler =
  (app: () => AwsApp) =>
  async (event: unknown, context?: Context): Promise<SQSBatchResponse | void> => {
    try {
      // an EventBridge event straight from a rule (tests, a manual invoke) is handled alone
      if (!isSqsEvent(event)) return await handleBusEvent(app, event);
      const one = async (record: SQSRecord): Promise<void> => {
        try {
          await handleBusEvent(app, JSON.parse(record.body));
        } catch (error) {
          logger.error('event not handled: SQS will redeliver it', {
            messageId: record.messageId,
            error,
          });
          throw error;
        }
      };
      // one after another: a batch is at most ten StartExecution calls, and a throttled one
      // fails only its own message
      return await processPartialResponse(event, one, processor, {
        ...(context === undefined ? {} : { context }),
        processInParallel: false,
      });
    } finally {
      flushMetrics();
    }
  };

export const handler = makeEventsHandler(awsApp);
