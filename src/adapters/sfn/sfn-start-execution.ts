// StartExecution under a name that makes it happen once: Standard workflows refuse a second
// execution of a name (for 90 days), so a duplicate start finds the first one and is a success.
import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { WorkflowStart } from '../../ports/workflow.port.js';

export const startExecutionOnce = async (
  client: SFNClient,
  stateMachineArn: string,
  executionName: string,
  input: Readonly<Record<string, unknown>>,
): Promise<WorkflowStart> => {
  try {
    await client.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: executionName,
        input: JSON.stringify(input),
      }),
    );
    return { executionName, alreadyStarted: false };
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return { executionName, alreadyStarted: true };
    throw error;
  }
};
