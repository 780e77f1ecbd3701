// WorkflowStarter on Step Functions: one execution per group, named after the group id, so a
// duplicate start (a redelivered GroupCompleted) finds the execution already there. A retry is a
// new execution with a name of its own (a Standard workflow's name is taken for 90 days, and a
// redrive of an execution that ended in the Fail state would only fail again).
import type { SFNClient } from '@aws-sdk/client-sfn';
import {
  executionNameFor,
  type GroupTaskInput,
  type WorkflowStart,
  type WorkflowStarter,
} from '../../ports/workflow.port.js';
import { startExecutionOnce } from './sfn-start-execution.js';

/** `group-<id>-retry-<attempt>`, cut so the whole name stays within 80 characters */
export const retryExecutionNameFor = (groupId: string, attempt: string): string => {
  const suffix = `-retry-${attempt.replace(/[^A-Za-z0-9_-]/g, '-')}`.slice(0, 30);
  return `${executionNameFor(groupId).slice(0, 80 - suffix.length)}${suffix}`;
};

export class SfnWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  start(input: GroupTaskInput): Promise<WorkflowStart> {
    return this.startNamed(executionNameFor(input.groupId), input);
  }

  /** a new execution for a group whose earlier one ended (attempt: e.g. a timestamp) */
  retry(input: GroupTaskInput, attempt: string): Promise<WorkflowStart> {
    return this.startNamed(retryExecutionNameFor(input.groupId, attempt), input);
  }

  private startNamed(executionName: string, input: GroupTaskInput): Promise<WorkflowStart> {
    return startExecutionOnce(this.client, this.stateMachineArn, executionName, {
      groupId: input.groupId,
      manifestKey: input.manifestKey,
    });
  }
}
