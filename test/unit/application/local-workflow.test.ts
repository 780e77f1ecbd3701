// The ASL under aws-local-stepfunctions with every Task bound to a scripted TaskRunner: checks the
// state flow, retry of transient errors only, and the failure path.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import {
  LOCAL_SUBSTITUTIONS,
  LocalSfnWorkflowStarter,
  substitute,
} from '../../../src/adapters/local-sfn/local-sfn-workflow-starter.js';
import type { Logger } from '../../../src/ports/logger.port.js';
import type { TaskName, TaskResult, TaskRunner } from '../../../src/ports/task-runner.port.js';

const asl = readFileSync(
  join(import.meta.dirname, '../../../infra/state-machine/pipeline.asl.json'),
  'utf8',
);
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const named = (name: string, message: string): Error => Object.assign(new Error(message), { name });

const scripted = (script: Partial<Record<TaskName, (n: number) => boolean>>) => {
  const calls: { task: TaskName; error?: string }[] = [];
  const runner: TaskRunner = {
    run: async (task, input): Promise<TaskResult> => {
      calls.push({ task, ...(input.error === undefined ? {} : { error: input.error }) });
      const attempt = calls.filter((c) => c.task === task).length;
      const ok = script[task]?.(attempt) ?? true;
      return { groupId: input.groupId, manifestKey: input.manifestKey, ok };
    },
  };
  return { runner, calls };
};

const input = { groupId: 'g1', manifestKey: 'groups/g1/manifest.json' };

describe('pipeline.asl.json run locally', () => {
  // the starter skips the library's validation (its cost at every CLI start): it is done here
  it("passes the library's full validation, ARNs and JSONPaths included", () => {
    const definition = JSON.parse(substitute(asl, LOCAL_SUBSTITUTIONS)) as StateMachineDefinition;
    expect(
      () =>
        new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } }),
    ).not.toThrow();
    // and the validation is real: a Task without its Resource is refused
    const broken = structuredClone(definition) as { States: Record<string, { Resource?: string }> };
    const task = Object.values(broken.States).find((st) => st.Resource !== undefined);
    delete task?.Resource;
    expect(
      () =>
        new StateMachine(broken as unknown as StateMachineDefinition, {
          validationOptions: { checkArn: true, checkPaths: true },
        }),
    ).toThrow();
  });

  it('runs Validate, Transform, Archive in order for a valid group', async () => {
    const { runner, calls } = scripted({});
    const starter = new LocalSfnWorkflowStarter(asl, runner, quiet, [1, 1, 1]);
    const started = await starter.start(input);
    expect(calls.map((c) => c.task)).toEqual(['validate', 'transform', 'archive']);
    expect(starter.outcome(started.executionName)).toBe('succeeded');
  });

  it('stops at GroupRejected when validation fails', async () => {
    const { runner, calls } = scripted({ validate: () => false });
    const starter = new LocalSfnWorkflowStarter(asl, runner, quiet, [1, 1, 1]);
    const { executionName } = await starter.start(input);
    expect(calls.map((c) => c.task)).toEqual(['validate']);
    expect(starter.outcome(executionName)).toBe('rejected');
  });

  it('retries a Transient error and then succeeds', async () => {
    let failures = 2;
    const { runner, calls } = scripted({});
    const flaky: TaskRunner = {
      run: async (task, i) => {
        if (task === 'transform' && failures-- > 0) throw named('Transient', 'disk busy');
        return runner.run(task, i);
      },
    };
    const starter = new LocalSfnWorkflowStarter(asl, flaky, quiet, [1, 1, 1]);
    const { executionName } = await starter.start(input);
    expect(calls.map((c) => c.task)).toEqual(['validate', 'transform', 'archive']);
    expect(starter.outcome(executionName)).toBe('succeeded');
  });

  it('never retries a data error: records the failure once and fails', async () => {
    const { runner, calls } = scripted({});
    let transformAttempts = 0;
    const broken: TaskRunner = {
      run: async (task, i) => {
        if (task === 'transform') {
          transformAttempts++;
          throw named('DataError', 'manifest is not valid');
        }
        return runner.run(task, i);
      },
    };
    const starter = new LocalSfnWorkflowStarter(asl, broken, quiet, [1, 1, 1]);
    const { executionName } = await starter.start(input);
    expect(transformAttempts).toBe(1);
    expect(calls.map((c) => c.task)).toEqual(['validate', 'record-failure']);
    expect(calls[1]?.error).toContain('manifest is not valid');
    expect(starter.outcome(executionName)).toBe('failed');
  });

  it('gives up on a transient error after 3 retries', async () => {
    let attempts = 0;
    const { runner, calls } = scripted({});
    const down: TaskRunner = {
      run: async (task, i) => {
        if (task === 'archive') {
          attempts++;
          throw named('Transient', 'still down');
        }
        return runner.run(task, i);
      },
    };
    const starter = new LocalSfnWorkflowStarter(asl, down, quiet, [1, 1, 1]);
    await starter.start(input);
    expect(attempts).toBe(4);
    expect(calls.at(-1)?.task).toBe('record-failure');
  });
});
