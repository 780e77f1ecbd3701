// WorkflowStarter on Step Functions: one execution per group, named after the group id, so a
// duplicate start (a redelivered GroupCompleted) finds the execution already there.
import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import {
  executionNameFor,
  type GroupTaskInput,
  type WorkflowStart,
  type WorkflowStarter,
} from '../../ports/workflow.port.js';

export class SfnWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(input: GroupTaskInput): Promise<WorkflowStart> {
    const executionName = executionNameFor(input.groupId);
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName,
          input: JSON.stringify({ groupId: input.groupId, manifestKey: input.manifestKey }),
        }),
      );
      return { executionName, alreadyStarted: false };
    } catch (error) {
      // Standard workflows refuse a second execution of a name (for 90 days): already running.
      if (error instanceof ExecutionAlreadyExists) return { executionName, alreadyStarted: true };
      throw error;
    }
  }
}
