// SfnWorkflowStarter against a stubbed HTTP layer: the execution name comes from the group id,
// and Step Functions' ExecutionAlreadyExists answer counts as success.
import { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { SfnWorkflowStarter } from '../../src/adapters/sfn/sfn-workflow-starter.js';
import { executionNameFor } from '../../src/ports/workflow.port.js';
import { STUB_CLIENT_CONFIG, stubHttp } from './stub-http.js';

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:pipeline';

describe('SfnWorkflowStarter (stubbed HTTP)', () => {
  it('starts one execution per group; a second start of the same group is a success', async () => {
    const started = new Set<string>();
    const stub = stubHttp((r) => {
      const name = String(r.body['name']);
      if (started.has(name)) {
        return {
          status: 400,
          body: {
            __type: 'ExecutionAlreadyExists',
            message: `Execution Already Exists: '${name}'`,
          },
        };
      }
      started.add(name);
      return { status: 200, body: { executionArn: `${ARN}:${name}`, startDate: 1767225600 } };
    });
    const starter = new SfnWorkflowStarter(
      new SFNClient({ ...STUB_CLIENT_CONFIG, requestHandler: stub.requestHandler }),
      ARN,
    );
    const input = { groupId: 'ab12cd34', manifestKey: 'groups/ab12cd34/manifest.json' };
    expect(await starter.start(input)).toEqual({
      executionName: executionNameFor('ab12cd34'),
      alreadyStarted: false,
    });
    expect(await starter.start(input)).toEqual({
      executionName: executionNameFor('ab12cd34'),
      alreadyStarted: true,
    });
    expect(stub.requests.map((r) => r.target)).toEqual(
      Array(2).fill('AWSStepFunctions.StartExecution'),
    );
    expect(stub.requests[0]?.body).toEqual({
      stateMachineArn: ARN,
      name: 'group-ab12cd34',
      input: JSON.stringify(input),
    });
  });

  it('lets other errors through', async () => {
    const stub = stubHttp(() => ({
      status: 400,
      body: { __type: 'StateMachineDoesNotExist', message: 'gone' },
    }));
    const starter = new SfnWorkflowStarter(
      new SFNClient({ ...STUB_CLIENT_CONFIG, requestHandler: stub.requestHandler }),
      ARN,
    );
    await expect(starter.start({ groupId: 'g', manifestKey: 'm' })).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
  });
});
