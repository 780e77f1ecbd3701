// Runs one stage of the group workflow (in process locally; ECS Fargate tasks in AWS).
import type { GroupTaskInput } from './workflow.port.js';

export type TaskName = 'validate' | 'transform' | 'archive' | 'record-failure';

export interface TaskResult {
  readonly groupId: string;
  readonly manifestKey: string;
  /** validate: whether the group passed; other tasks: true */
  readonly ok: boolean;
  readonly reportKey?: string;
}

export interface TaskRunner {
  run(task: TaskName, input: GroupTaskInput & { readonly error?: string }): Promise<TaskResult>;
}

export const TASK_RUNNER = Symbol.for('TaskRunner');
