// Starts the per-group workflow (Step Functions in AWS, the same ASL run locally).
export interface GroupTaskInput {
  readonly groupId: string;
  readonly manifestKey: string;
}

export interface WorkflowStart {
  readonly executionName: string;
  /** true when an execution of that name already existed (counts as success) */
  readonly alreadyStarted: boolean;
}

export interface WorkflowStarter {
  /** the execution name is derived from the group id, so a duplicate start is harmless */
  start(input: GroupTaskInput): Promise<WorkflowStart>;
}

export const WORKFLOW_STARTER = Symbol.for('WorkflowStarter');

/** Execution names: at most 80 characters of [A-Za-z0-9-_]. */
export const executionNameFor = (groupId: string): string =>
  `group-${groupId}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80);
