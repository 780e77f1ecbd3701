// The state machine's Lambda tasks: archive a finished group, or record why it failed.
// A thrown error fails the state, which the state machine's Retry/Catch then handles.
import type { Context } from 'aws-lambda';
import type { TaskResult } from '../../ports/task-runner.port.js';
import { awsApp, type AwsApp } from '../composition/aws.container.js';
import { flushMetrics, logger } from './observability.js';
import { workflowTaskPayloadOf } from './workflow-task.codec.js';

export const makeWorkflowTaskHandler =
  (app: () => AwsApp) =>
  async (payload: unknown, _context?: Context): Promise<TaskResult> => {
    const input = workflowTaskPayloadOf(payload);
    logger.appendKeys({ groupId: input.groupId });
    try {
      const error = [input.error, input.cause].filter((s) => typeof s === 'string').join(': ');
      const result = await app().runTask(input.task, {
        groupId: input.groupId,
        manifestKey: input.manifestKey,
        ...(error === '' ? {} : { error }),
      });
      logger.info(`${input.task} done`, { ...result });
      return result;
    } finally {
      logger.removeKeys(['groupId']);
      flushMetrics();
    }
  };

export const handler = makeWorkflowTaskHandler(awsApp);
