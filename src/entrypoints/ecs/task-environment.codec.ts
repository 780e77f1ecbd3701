// The ECS tasks' input: the environment the state machine sets on the container.
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { PathReporter } from 'io-ts/lib/PathReporter.js';

export const TaskEnvironment = t.intersection([
  t.type({ GROUP_ID: t.string, MANIFEST_KEY: t.string }),
  t.partial({ TASK_TOKEN: t.string }),
]);
export type TaskEnvironment = t.TypeOf<typeof TaskEnvironment>;

export const taskEnvironmentOf = (
  env: Readonly<Record<string, string | undefined>>,
): TaskEnvironment => {
  const decoded = TaskEnvironment.decode(env);
  if (isLeft(decoded)) {
    throw new Error(`bad task environment: ${PathReporter.report(decoded).join('; ')}`);
  }
  return decoded.right;
};
