// The ECS tasks' logic, apart from their main files so tests can run it without a process exit.
// Validate runs under `.waitForTaskToken`: it reports back to Step Functions itself. Transform
// runs under `.sync`: the state follows the container's exit code.
import type { TaskName, TaskResult } from '../../ports/task-runner.port.js';
import type { AwsApp } from '../composition/aws.container.js';
import { countMetric, flushMetrics, logger } from '../lambda/observability.js';
import { taskEnvironmentOf } from './task-environment.codec.js';

/** The error name reported to Step Functions: its Retry covers 'Transient' only. GroupTasks
 *  already names use-case failures 'DataError' or 'Transient'; anything else (bad input, a
 *  missing setting) is a 'TaskFailed' that retrying would not cure. */
const errorNameOf = (error: unknown): string =>
  error instanceof Error && (error.name === 'Transient' || error.name === 'DataError')
    ? error.name
    : 'TaskFailed';

/** How often a task holding a token tells Step Functions it is alive. The Validate state's
 *  HeartbeatSeconds (300) allows several lost beats; a task that died (OOM kill, failed image
 *  pull) stops beating, and the state fails with States.HeartbeatTimeout within 5 minutes. */
export const HEARTBEAT_INTERVAL_MS = 60_000;

const startHeartbeat = (app: () => AwsApp, token: string, intervalMs: number) => {
  const timer = setInterval(() => {
    app()
      .sendTaskHeartbeat(token)
      .catch((error: unknown) => logger.warn('heartbeat not sent', { error: String(error) }));
  }, intervalMs);
  return () => clearInterval(timer);
};

export const runGroupTask = async (
  task: Extract<TaskName, 'validate' | 'transform'>,
  env: Readonly<Record<string, string | undefined>>,
  app: () => AwsApp,
  heartbeatMs: number = HEARTBEAT_INTERVAL_MS,
): Promise<number> => {
  let token: string | undefined;
  let stopHeartbeat = (): void => {};
  try {
    const input = taskEnvironmentOf(env);
    token = input.TASK_TOKEN;
    if (token !== undefined) stopHeartbeat = startHeartbeat(app, token, heartbeatMs);
    logger.appendKeys({ groupId: input.GROUP_ID, task });
    const result: TaskResult = await app().runTask(task, {
      groupId: input.GROUP_ID,
      manifestKey: input.MANIFEST_KEY,
    });
    logger.info(`${task} done`, { ...result });
    if (task === 'validate') countMetric(result.ok ? 'Groups' : 'GroupsRejected');
    stopHeartbeat();
    if (token !== undefined) await app().sendTaskSuccess(token, result);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error(`${task} failed`, { error: message });
    stopHeartbeat();
    if (token !== undefined) {
      try {
        await app().sendTaskFailure(token, errorNameOf(error), message);
      } catch (reportError) {
        // the exit code still fails the task; the state times out or sees the ECS failure
        logger.error('could not report the failure to Step Functions', {
          error: String(reportError),
        });
      }
    }
    return 1;
  } finally {
    stopHeartbeat();
    flushMetrics();
  }
};
