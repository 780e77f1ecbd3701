// `retry --aws`: a failed group gets a new Step Functions execution with a name of its own per
// attempt (group-<id> is taken for 90 days, and a redrive of an execution that ended in Fail
// fails again); groups that retrying cannot help are refused with the reason.
import { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { retryExecutionNameFor } from '../../src/adapters/sfn/sfn-workflow-starter.js';
import { retryOnAws } from '../../src/entrypoints/cli/retry-aws.js';
import { awsAppOf } from '../../src/entrypoints/composition/aws.container.js';
import { landedGroup } from '../support/landed-group.js';
import { STUB_CLIENT_CONFIG, stubHttp } from './stub-http.js';

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:pipeline';

/** one group landed and failed (as RecordFailure leaves it), over the in-memory adapters */
const failedGroup = async () => {
  const { container, tasks, task } = await landedGroup();
  const { groupId, manifestKey } = task;
  await tasks.run('validate', { groupId, manifestKey });
  await tasks.run('record-failure', { groupId, manifestKey, error: 'States.TaskFailed' });
  const stub = stubHttp((r) => ({
    status: 200,
    body: { executionArn: `${ARN}:${String(r.body['name'])}`, startDate: 1767225600 },
  }));
  const sfn = new SFNClient({ ...STUB_CLIENT_CONFIG, requestHandler: stub.requestHandler });
  return { app: awsAppOf(container, sfn, ARN), groupId, manifestKey, stub };
};

describe('retry on AWS', () => {
  it('starts a new, uniquely named execution per attempt for a transform-failed group', async () => {
    const { app, groupId, manifestKey, stub } = await failedGroup();
    const lines: string[] = [];
    expect(
      await retryOnAws(
        [],
        (l) => lines.push(l),
        (l) => lines.push(l),
        () => app,
        '1',
      ),
    ).toBe(0);
    expect(
      await retryOnAws(
        [groupId],
        () => {},
        () => {},
        () => app,
        '2',
      ),
    ).toBe(0);
    const names = stub.requests.map((r) => r.body['name']);
    expect(names).toEqual([
      retryExecutionNameFor(groupId, '1'),
      retryExecutionNameFor(groupId, '2'),
    ]);
    expect(new Set(names).size).toBe(2);
    expect(names.every((n) => String(n).length <= 80 && /^[A-Za-z0-9_-]+$/.test(String(n)))).toBe(
      true,
    );
    expect(stub.requests[0]?.body).toMatchObject({
      stateMachineArn: ARN,
      input: JSON.stringify({ groupId, manifestKey }),
    });
    expect(lines).toEqual([`${groupId}: started ${String(names[0])} (was transform-failed)`]);
  });

  it('refuses unknown groups with the reason, and exits 3', async () => {
    const { app, stub } = await failedGroup();
    const errors: string[] = [];
    expect(
      await retryOnAws(
        ['nope'],
        () => {},
        (l) => errors.push(l),
        () => app,
        '1',
      ),
    ).toBe(3);
    expect(errors).toEqual(['nope: not retried (initial): no such group']);
    expect(stub.requests).toEqual([]);
  });

  it('keeps names within Step Functions limits for any group id and attempt', () => {
    const id = 'f'.repeat(64);
    for (const attempt of ['1', '20261130174501', 'x'.repeat(60)]) {
      const name = retryExecutionNameFor(id, attempt);
      expect(name.length).toBeLessThanOrEqual(80);
      expect(name).toMatch(/^group-f+-retry-/);
    }
  });
});
