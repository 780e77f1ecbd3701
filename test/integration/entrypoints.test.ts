// The thin AWS entrypoints over a recording AwsApp: what they decode, which use case they call,
// and how they map the outcome (task token callbacks, exit codes, thrown errors).
import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { describe, expect, it } from 'vitest';
import { TaskError } from '../../src/application/group-tasks.js';
import { awsConfigFromEnv, type AwsApp } from '../../src/entrypoints/composition/aws.container.js';
import { runGroupTask } from '../../src/entrypoints/ecs/group-task.js';
import { makeEventsHandler } from '../../src/entrypoints/lambda/events.handler.js';
import { makeIngestHandler } from '../../src/entrypoints/lambda/ingest.handler.js';
import { makeWorkflowTaskHandler } from '../../src/entrypoints/lambda/workflow-task.handler.js';
import type { TaskResult } from '../../src/ports/task-runner.port.js';
import { captureOutput, sqsRecord } from './lambda-harness.js';

const recordingApp = (runTask: AwsApp['runTask'] = async (_t, i) => ({ ...i, ok: true })) => {
  const calls: unknown[][] = [];
  const record =
    (name: string) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args]);
    };
  const app: AwsApp = {
    landFile: async () => ({ status: 'landed', rows: 0, groups: 0 }),
    startIngestTask: async (file) => {
      calls.push(['startIngestTask', file]);
      return { executionName: `ingest-${file.key}`, alreadyStarted: false };
    },
    startWorkflow: async (input) => {
      calls.push(['startWorkflow', input]);
      return { executionName: `group-${input.groupId}`, alreadyStarted: false };
    },
    runTask: async (task, input) => {
      calls.push(['runTask', task, input]);
      return runTask(task, input);
    },
    sendTaskSuccess: record('sendTaskSuccess'),
    sendTaskFailure: record('sendTaskFailure'),
    sendTaskHeartbeat: record('sendTaskHeartbeat'),
    retryGroups: async () => [],
  };
  return { app, calls };
};

const output = captureOutput();
const emf = () =>
  output
    .lines()
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const busEvent = (type: string, data: Record<string, unknown>) => ({
  version: '0',
  id: 'eb-1',
  source: 'shop-pipeline',
  'detail-type': type,
  detail: {
    id: `group-g1:${type}`,
    type,
    streamId: 'group-g1',
    version: 1,
    position: 9,
    occurredAt: 'x',
    data,
  },
});

describe('events handler', () => {
  it('starts the workflow of a completed group, by group id and manifest key', async () => {
    const { app, calls } = recordingApp();
    const data = {
      groupId: 'g1',
      fileKey: 'f',
      orderCount: 2,
      manifestKey: 'groups/g1/manifest.json',
    };
    await makeEventsHandler(() => app)(busEvent('GroupCompleted', data));
    expect(calls).toEqual([
      ['startWorkflow', { groupId: 'g1', manifestKey: 'groups/g1/manifest.json' }],
    ]);
  });

  it('counts terminal events and starts nothing', async () => {
    const { app, calls } = recordingApp();
    await makeEventsHandler(() => app)(busEvent('Archived', { groupId: 'g1', files: [] }));
    await makeEventsHandler(() => app)(
      busEvent('TransformFailed', { groupId: 'g1', error: 'boom' }),
    );
    expect(calls).toEqual([]);
    expect(emf().map((m) => [m['GroupsArchived'], m['GroupsFailed']])).toEqual([
      [1, undefined],
      [undefined, 1],
    ]);
  });

  it('throws on an event it cannot decode (EventBridge retries, then its DLQ keeps it)', async () => {
    const { app } = recordingApp();
    await expect(makeEventsHandler(() => app)({ detail: {} })).rejects.toThrow(
      /bad EventBridge event/,
    );
    await expect(
      makeEventsHandler(() => app)(busEvent('GroupCompleted', { groupId: 'g1' })),
    ).rejects.toThrow(/manifestKey/);
  });

  it('from the SQS queue: a throttled StartExecution fails only its message, for redelivery', async () => {
    const { app, calls } = recordingApp();
    const throttled: AwsApp = {
      ...app,
      startWorkflow: async (input) => {
        if (input.groupId === 'g2') {
          throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        }
        return app.startWorkflow(input);
      },
    };
    const message = (id: string, groupId: string) =>
      sqsRecord(
        JSON.stringify(
          busEvent('GroupCompleted', { groupId, manifestKey: `groups/${groupId}/manifest.json` }),
        ),
        id,
      );
    const response = await makeEventsHandler(() => throttled)({
      Records: [message('m1', 'g1'), message('m2', 'g2'), message('m3', 'g3')],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(calls.map((c) => (c[1] as { groupId: string }).groupId)).toEqual(['g1', 'g3']);
  });
});

describe('ingest handler', () => {
  it('throws when every message of the batch failed, so SQS retries the batch whole', async () => {
    const { app, calls } = recordingApp();
    const message = (id: string) =>
      sqsRecord('{"Records": [{"eventName": "ObjectCreated:Put"}]}', id);
    await expect(
      makeIngestHandler(() => app)({ Records: [message('a'), message('b')] }),
    ).rejects.toThrow(FullBatchFailureError);
    expect(calls).toEqual([]);
  });
});

describe('workflow-task handler', () => {
  it('runs archive and record-failure with the state machine payload, joining error and cause', async () => {
    const { app, calls } = recordingApp();
    const handler = makeWorkflowTaskHandler(() => app);
    expect(await handler({ task: 'archive', groupId: 'g1', manifestKey: 'm' })).toEqual({
      groupId: 'g1',
      manifestKey: 'm',
      ok: true,
    });
    await handler({
      task: 'record-failure',
      groupId: 'g1',
      manifestKey: 'm',
      error: 'Transient',
      cause: 'S3 down',
    });
    expect(calls).toEqual([
      ['runTask', 'archive', { groupId: 'g1', manifestKey: 'm' }],
      [
        'runTask',
        'record-failure',
        { groupId: 'g1', manifestKey: 'm', error: 'Transient: S3 down' },
      ],
    ]);
    await expect(handler({ task: 'validate', groupId: 'g1', manifestKey: 'm' })).rejects.toThrow(
      /payload/,
    );
  });
});

describe('ECS task mains', () => {
  const env = { GROUP_ID: 'g1', MANIFEST_KEY: 'groups/g1/manifest.json', TASK_TOKEN: 'token-1' };

  it('validate reports its result with the task token and exits 0, also for a rejected group', async () => {
    const rejected: TaskResult = {
      groupId: 'g1',
      manifestKey: env.MANIFEST_KEY,
      ok: false,
      reportKey: 'reports/g1/verdict.json',
    };
    const { app, calls } = recordingApp(async () => rejected);
    expect(await runGroupTask('validate', env, () => app)).toBe(0);
    expect(calls).toEqual([
      ['runTask', 'validate', { groupId: 'g1', manifestKey: env.MANIFEST_KEY }],
      ['sendTaskSuccess', 'token-1', rejected],
    ]);
    expect(emf()[0]).toMatchObject({ GroupsRejected: 1 });
  });

  it('a failing task sends SendTaskFailure with the retryable name and exits non-zero', async () => {
    const { app, calls } = recordingApp(async () => {
      throw new TaskError('Transient', 'S3 timed out');
    });
    expect(await runGroupTask('validate', env, () => app)).toBe(1);
    expect(calls.at(-1)).toEqual(['sendTaskFailure', 'token-1', 'Transient', 'S3 timed out']);
    const data = recordingApp(async () => {
      throw new TaskError('DataError', 'manifest missing');
    });
    expect(await runGroupTask('validate', env, () => data.app)).toBe(1);
    expect(data.calls.at(-1)).toEqual([
      'sendTaskFailure',
      'token-1',
      'DataError',
      'manifest missing',
    ]);
  });

  it('validate beats its heartbeat while it runs, and stops before it reports', async () => {
    let finish = (): void => {};
    const { app, calls } = recordingApp(
      (_t, i) => new Promise((resolve) => (finish = () => resolve({ ...i, ok: true }))),
    );
    const running = runGroupTask('validate', env, () => app, 5);
    await expect
      .poll(() => calls.filter((c) => c[0] === 'sendTaskHeartbeat').length)
      .toBeGreaterThan(1);
    finish();
    expect(await running).toBe(0);
    const beats = calls.filter((c) => c[0] === 'sendTaskHeartbeat').length;
    expect(calls.filter((c) => c[0] === 'sendTaskHeartbeat')[0]).toEqual([
      'sendTaskHeartbeat',
      'token-1',
    ]);
    await new Promise((r) => setTimeout(r, 30));
    expect(calls.filter((c) => c[0] === 'sendTaskHeartbeat').length).toBe(beats);
    expect(calls.at(-1)?.[0]).toBe('sendTaskSuccess');
  });

  it('transform (run with .sync, no token) signals only through its exit code', async () => {
    const { app, calls } = recordingApp();
    const { TASK_TOKEN: _token, ...noToken } = env;
    expect(await runGroupTask('transform', noToken, () => app)).toBe(0);
    expect(calls.map((c) => c[0])).toEqual(['runTask']);
    const failing = recordingApp(async () => {
      throw new Error('boom');
    });
    expect(await runGroupTask('transform', noToken, () => failing.app)).toBe(1);
    expect(await runGroupTask('transform', {}, () => failing.app)).toBe(1);
    expect(failing.calls.map((c) => c[0])).toEqual(['runTask']);
  });
});

describe('AWS configuration from the environment', () => {
  const env = {
    BUCKET_NAME: 'b',
    EVENTS_TABLE: 'ev',
    REFERENCE_TABLE: 'ref',
    FACTS_TABLE: 'facts',
    ORDER_KPIS_TABLE: 'ok',
    CATEGORY_KPIS_TABLE: 'ck',
    EVENT_BUS_NAME: 'bus',
  };

  it('reads the shared contract variables; endpoints and the state machine are optional', () => {
    expect(awsConfigFromEnv(env)).toEqual({
      bucket: 'b',
      eventBusName: 'bus',
      tables: {
        events: 'ev',
        reference: 'ref',
        facts: 'facts',
        orderKpis: 'ok',
        categoryKpis: 'ck',
      },
    });
    expect(
      awsConfigFromEnv({
        ...env,
        STATE_MACHINE_ARN: 'arn:sm',
        AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:2',
      }),
    ).toMatchObject({
      stateMachineArn: 'arn:sm',
      s3Endpoint: 'http://127.0.0.1:1',
      dynamoEndpoint: 'http://127.0.0.1:2',
    });
  });

  it('names the missing variable', () => {
    const { FACTS_TABLE: _facts, ...noFacts } = env;
    expect(() => awsConfigFromEnv(noFacts)).toThrow('FACTS_TABLE');
    const { BUCKET_NAME: _bucket, ...noBucket } = env;
    expect(() => awsConfigFromEnv(noBucket)).toThrow('BUCKET_NAME');
  });
});
