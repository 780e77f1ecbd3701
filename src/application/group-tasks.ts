// The workflow's tasks run in process (local runs, and the AWS task entrypoints): each task
// calls its use case. A data error becomes a 'DataError' the state machine never retries; a
// thrown fault becomes 'Transient', which its Retry covers.
import type { TaskName, TaskResult, TaskRunner } from '../ports/task-runner.port.js';
import type { GroupTaskInput } from '../ports/workflow.port.js';
import type { ArchiveGroup } from './archive-group.use-case.js';
import type { RecordFailure } from './record-failure.use-case.js';
import type { TransformGroup } from './transform-group.use-case.js';
import type { ValidateGroup } from './validate-group.use-case.js';

export class TaskError extends Error {
  constructor(name: 'DataError' | 'Transient', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

export class GroupTasks implements TaskRunner {
  constructor(
    private readonly validate: ValidateGroup,
    private readonly transform: TransformGroup,
    private readonly archive: ArchiveGroup,
    private readonly recordFailure: RecordFailure,
  ) {}

  async run(
    task: TaskName,
    input: GroupTaskInput & { readonly error?: string },
  ): Promise<TaskResult> {
    let outcome;
    try {
      switch (task) {
        case 'validate':
          // the Archive step's costly part, done ahead where the store can (on a core the
          // steps before it leave idle): never waited for, never failing
          void this.archive.prepare(input);
          outcome = await this.validate.execute(input);
          break;
        case 'transform':
          outcome = await this.transform.execute(input);
          break;
        case 'archive':
          outcome = await this.archive.execute(input);
          break;
        case 'record-failure':
          return await this.recordFailure.execute(input);
      }
    } catch (error) {
      throw new TaskError('Transient', error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
    if (outcome._tag === 'Left') throw new TaskError('DataError', outcome.left.message);
    return outcome.right;
  }
}
