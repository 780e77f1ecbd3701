// EventBridge consumer: a GroupCompleted starts the group's workflow (idempotent: the execution
// name comes from the group id); terminal events are logged and counted.
import type { Context } from 'aws-lambda';
import { awsApp, type AwsApp } from '../composition/aws.container.js';
import { busMessageOf } from './pipeline-event.codec.js';
import { countMetric, flushMetrics, logger } from './observability.js';

// FileRejected and ValidationFailed are counted where they happen (ingest, validate task).
const TERMINAL = new Set(['Archived', 'TransformFailed']);

export const makeEventsHandler =
  (app: () => AwsApp) =>
  async (event: unknown, _context?: Context): Promise<void> => {
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
      flushMetrics();
    }
  };

export const handler = makeEventsHandler(awsApp);
