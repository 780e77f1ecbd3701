// The local state machine's engine is loaded at the first workflow (or when asked to load ahead),
// never while the container is built or a file lands: most commands run no workflow.
import { describe, expect, it } from 'vitest';
import { Container } from 'inversify';
import { bindLocalWorkflow } from '../../../src/entrypoints/composition/in-memory.container.js';
import { LazyWorkflowStarter } from '../../../src/entrypoints/composition/lazy-workflow-starter.js';
import { LOGGER } from '../../../src/ports/logger.port.js';
import { TASK_RUNNER, type TaskRunner } from '../../../src/ports/task-runner.port.js';
import {
  WORKFLOW_STARTER,
  type GroupTaskInput,
  type WorkflowStarter,
} from '../../../src/ports/workflow.port.js';

const input: GroupTaskInput = { groupId: 'g1', manifestKey: 'groups/g1/manifest.json' };

/** a starter factory that counts its calls; `failFirst`: the first load fails */
const counted = (failFirst = false) => {
  const made: string[] = [];
  const make = async (): Promise<WorkflowStarter> => {
    made.push('make');
    if (failFirst && made.length === 1) throw new Error('cannot load');
    return { start: async (i) => ({ executionName: `run-${i.groupId}`, alreadyStarted: false }) };
  };
  return { made, make };
};

describe('LazyWorkflowStarter', () => {
  it('loads the engine at the first start, once', async () => {
    const { made, make } = counted();
    const starter = new LazyWorkflowStarter(make);
    expect(made).toEqual([]);
    expect(await starter.start(input)).toEqual({ executionName: 'run-g1', alreadyStarted: false });
    await starter.start(input);
    expect(made).toEqual(['make']);
  });

  it('loads ahead when asked, and a start then uses that load', async () => {
    const { made, make } = counted();
    const starter = new LazyWorkflowStarter(make);
    await Promise.all([starter.load(), starter.load()]);
    await starter.start(input);
    expect(made).toEqual(['make']);
  });

  it('tries a failed load again at the next call', async () => {
    const { made, make } = counted(true);
    const starter = new LazyWorkflowStarter(make);
    await expect(starter.start(input)).rejects.toThrow('cannot load');
    expect((await starter.start(input)).executionName).toBe('run-g1');
    expect(made).toEqual(['make', 'make']);
  });
});

describe('bindLocalWorkflow', () => {
  it('resolves the workflow starter without the task runner, which the first workflow resolves', async () => {
    const container = new Container({ defaultScope: 'Singleton' });
    const resolved: string[] = [];
    const runs: string[] = [];
    container.bind(TASK_RUNNER).toDynamicValue((): TaskRunner => {
      resolved.push('task runner');
      return {
        run: async (task, i) => {
          runs.push(task);
          return { groupId: i.groupId, manifestKey: i.manifestKey, ok: true };
        },
      };
    });
    container.bind(LOGGER).toConstantValue({ debug() {}, info() {}, warn() {}, error() {} });
    const lazy = bindLocalWorkflow(container);
    // what DispatchGroups is given when the first landing's workflows are looked for
    const starter = container.get<WorkflowStarter>(WORKFLOW_STARTER);
    expect(starter).toBe(lazy);
    expect(resolved).toEqual([]);
    await starter.start(input);
    expect(resolved).toEqual(['task runner']);
    expect(runs).toEqual(['validate', 'transform', 'archive']);
  });
});
