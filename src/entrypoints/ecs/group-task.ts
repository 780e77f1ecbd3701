// The ECS tasks' logic, apart from their main files so tests can run it without a process exit.
// Validate runs under `.waitForTaskToken`: it reports back to Step Functions itself. Transform
// runs under `.sync`: the state follows the container's exit code.
import type { TaskName, TaskResult } from '../../ports/task-runner.port.js';
import type { AwsApp } from '../composition/aws.container.js';
import { countMetric, flushMetrics, logger } from '../lambda/observability.js';
import { taskEnvironmentOf } from '../lambda/workflow-task.codec.js';

/** Errors the state machine retries (its Retry lists the name 'Transient'). */
const isTransient = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  ('$retryable' in error ||
    ['TimeoutError', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].some(
      (n) => (error as { name?: unknown; code?: unknown }).name === n || (error as { code?: unknown }).code === n,
    ));

export const runGroupTask = async (
  task: Extract<TaskName, 'validate' | 'transform'>,
  env: Readonly<Record<string, string | undefined>>,
  app: AwsApp,
): Promise<number> => {
  let token: string | undefined;
  try {
    const input = taskEnvironmentOf(env);
    token = input.TASK_TOKEN;
    logger.appendKeys({ groupId: input.GROUP_ID, task });
    const result: TaskResult = await app.runTask(task, {
      groupId: input.GROUP_ID,
      manifestKey: input.MANIFEST_KEY,
    });
    logger.info(`${task} done`, { ...result });
    countMetric('groups');
    if (!result.ok) countMetric('rejections');
    if (token !== undefined) await app.sendTaskSuccess(token, result);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error(`${task} failed`, { error: message });
    if (token !== undefined) {
      await app.sendTaskFailure(token, isTransient(error) ? 'Transient' : 'TaskFailed', message);
    }
    return 1;
  } finally {
    flushMetrics();
  }
};
