// A stand-in for the AWS account around the real handlers: s3rver and DynamoDB Local hold the
// data; EventBridge and Step Functions are emulated at their HTTP boundary (the SDK clients
// serialise and parse for real), routing events to the events queue and running the state
// machine definition of the synthesised template. Each principal (ingest, events,
// workflowTask, task) has its own clients, whose calls are recorded for the IAM simulation.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { SQSRecord } from 'aws-lambda';
import { LocalSfnWorkflowStarter } from '../../../src/adapters/local-sfn/local-sfn-workflow-starter.js';
import {
  createTables,
  deleteTables,
  type TableNames,
} from '../../../src/adapters/dynamodb/dynamodb-table-setup.js';
import {
  awsAppOf,
  buildAwsContainer,
  type AwsApp,
  type AwsClients,
} from '../../../src/entrypoints/composition/aws.container.js';
import { runGroupTask } from '../../../src/entrypoints/ecs/group-task.js';
import { makeEventsHandler } from '../../../src/entrypoints/lambda/events.handler.js';
import { makeIngestHandler } from '../../../src/entrypoints/lambda/ingest.handler.js';
import { makeWorkflowTaskHandler } from '../../../src/entrypoints/lambda/workflow-task.handler.js';
import type { TaskResult, TaskRunner } from '../../../src/ports/task-runner.port.js';
import { localDynamoClient, localS3Client, uniqueName } from '../aws-clients.js';
import { quietLogger } from '../aws-test-app.js';
import { sqsRecord } from '../lambda-harness.js';
import { STUB_CLIENT_CONFIG, stubHttp, type StubAnswer, type StubRequest } from '../stub-http.js';
import { ACCOUNT, REGION, recordCalls, type Call, type Names } from './recorded-calls.js';

export type Principal = 'ingest' | 'events' | 'workflowTask' | 'task';

/** where a test breaks things: each hook may throw or answer instead of the emulated service */
export interface Faults {
  putEvents?: (request: StubRequest, call: number) => StubAnswer | undefined;
  startExecution?: (request: StubRequest, call: number) => StubAnswer | undefined;
  /** before a task runs: throw to fail it (exit 1, or a heartbeat timeout for validate) */
  task?: (task: string, groupId: string) => void;
  /** extra middleware on a principal's clients (S3 409, DynamoDB throttling) */
  clients?: (principal: Principal, clients: AwsClients) => void;
}

const MAX_RECEIVES = 5;

export const awsWorld = async (definition: string, faults: Faults = {}) => {
  const bucket = uniqueName('fidelity');
  const admin = { s3: localS3Client(), dynamo: localDynamoClient() };
  await admin.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const tables: TableNames = await createTables(admin.dynamo, uniqueName('f'));
  const names: Names = {
    bucket,
    busName: 'shop-pipeline-bus',
    stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:pipeline`,
  };
  const calls: Call[] = [];
  const eventsQueue: string[] = [];
  const executions: Promise<unknown>[] = [];
  const tokens = new Map<string, TaskResult | Error>();
  let putEventsCalls = 0;
  let startCalls = 0;
  const started = new Set<string>();

  const eventBridge = stubHttp((request) => {
    const fault = faults.putEvents?.(request, putEventsCalls++);
    if (fault !== undefined) return fault;
    const entries = request.body['Entries'] as Array<Record<string, string>>;
    for (const e of entries) {
      // the stack's rules: GroupCompleted and terminal events go to the events queue
      if (['GroupCompleted', 'Archived', 'TransformFailed'].includes(e['DetailType'] ?? '')) {
        eventsQueue.push(
          JSON.stringify({
            source: e['Source'],
            'detail-type': e['DetailType'],
            detail: JSON.parse(e['Detail'] ?? '{}'),
          }),
        );
      }
    }
    return {
      status: 200,
      body: { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `e${i}` })) },
    };
  });

  const machine: { starter?: LocalSfnWorkflowStarter } = {};
  const stepFunctions = stubHttp((request) => {
    const op = request.target.split('.')[1] ?? '';
    if (op === 'StartExecution') {
      const fault = faults.startExecution?.(request, startCalls++);
      if (fault !== undefined) return fault;
      const name = String(request.body['name']);
      if (started.has(name)) {
        return { status: 400, body: { __type: 'ExecutionAlreadyExists', message: name } };
      }
      started.add(name);
      const input = JSON.parse(String(request.body['input'])) as {
        groupId: string;
        manifestKey: string;
      };
      executions.push(machine.starter!.start(input));
      return {
        status: 200,
        body: { executionArn: `${names.stateMachineArn}:${name}`, startDate: 0 },
      };
    }
    const token = String(request.body['taskToken']);
    if (op === 'SendTaskSuccess')
      tokens.set(token, JSON.parse(String(request.body['output'])) as TaskResult);
    if (op === 'SendTaskFailure') {
      tokens.set(
        token,
        Object.assign(new Error(String(request.body['cause'])), {
          name: String(request.body['error']),
        }),
      );
    }
    return { status: 200, body: {} };
  });

  const apps = {} as Record<Principal, AwsApp>;
  for (const principal of ['ingest', 'events', 'workflowTask', 'task'] as const) {
    const clients: AwsClients = {
      s3: localS3Client(),
      dynamo: localDynamoClient(),
      eventBridge: new EventBridgeClient({
        ...STUB_CLIENT_CONFIG,
        requestHandler: eventBridge.requestHandler,
      }),
      sfn: new SFNClient({ ...STUB_CLIENT_CONFIG, requestHandler: stepFunctions.requestHandler }),
    };
    recordCalls(clients.s3, 's3', principal, names, calls);
    recordCalls(clients.dynamo, 'dynamodb', principal, names, calls);
    recordCalls(clients.eventBridge, 'events', principal, names, calls);
    recordCalls(clients.sfn, 'states', principal, names, calls);
    faults.clients?.(principal, clients);
    const config = {
      bucket,
      tables,
      eventBusName: names.busName,
      ...(principal === 'events' ? { stateMachineArn: names.stateMachineArn } : {}),
    };
    const container = buildAwsContainer(config, clients, { logger: quietLogger });
    apps[principal] = awsAppOf(container, clients.sfn, config.stateMachineArn);
  }

  let tokenCount = 0;
  const tasks: TaskRunner = {
    run: async (task, input) => {
      faults.task?.(task, input.groupId);
      const env = { GROUP_ID: input.groupId, MANIFEST_KEY: input.manifestKey };
      if (task === 'validate') {
        const token = `token-${++tokenCount}`;
        await runGroupTask('validate', { ...env, TASK_TOKEN: token }, () => apps.task);
        const reported = tokens.get(token);
        if (reported === undefined)
          throw Object.assign(new Error('no callback'), { name: 'States.HeartbeatTimeout' });
        if (reported instanceof Error) throw reported;
        return reported;
      }
      if (task === 'transform') {
        // a `.sync` ECS task that exits non-zero fails the state with States.TaskFailed
        if ((await runGroupTask('transform', env, () => apps.task)) !== 0) {
          throw Object.assign(new Error('transform exited 1'), { name: 'States.TaskFailed' });
        }
        return { ...input, ok: true };
      }
      return makeWorkflowTaskHandler(() => apps.workflowTask)({ task, ...input });
    },
  };
  machine.starter = new LocalSfnWorkflowStarter(definition, tasks, quietLogger, [1, 2, 4]);

  /** SQS in front of a handler: failed messages come back until they are received 5 times */
  const drain = async (
    queue: string[],
    batchSize: number,
    handler: (
      records: SQSRecord[],
    ) => Promise<{ batchItemFailures: { itemIdentifier: string }[] } | void>,
    deadLetters: string[],
  ) => {
    const receives = new Map<string, number>();
    let n = 0;
    while (queue.length > 0) {
      const bodies = queue.splice(0, batchSize);
      const records = bodies.map((body) => sqsRecord(body, `m-${++n}`));
      let failed: string[];
      try {
        const response = await handler(records);
        const ids = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        failed = records.filter((r) => ids.has(r.messageId)).map((r) => r.body);
      } catch {
        failed = bodies; // the whole batch failed
      }
      for (const body of failed) {
        const count = (receives.get(body) ?? 0) + 1;
        receives.set(body, count);
        (count >= MAX_RECEIVES ? deadLetters : queue).push(body);
      }
    }
  };

  const deadLetters: string[] = [];
  return {
    names,
    tables,
    calls,
    deadLetters,
    apps,
    /** uploads the files, then runs SQS -> ingest, bus -> SQS -> events, executions, until idle */
    run: async (files: Array<{ key: string; body: string }>) => {
      const landing: string[] = [];
      for (const f of files) {
        await admin.s3.send(new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: f.body }));
        landing.push(
          JSON.stringify({
            Records: [
              {
                eventName: 'ObjectCreated:Put',
                s3: {
                  bucket: { name: bucket },
                  object: { key: encodeURIComponent(f.key).replace(/%2F/g, '/') },
                },
              },
            ],
          }),
        );
      }
      const ingest = makeIngestHandler(() => apps.ingest);
      const events = makeEventsHandler(() => apps.events);
      await drain(landing, 1, (records) => ingest({ Records: records }), deadLetters);
      while (eventsQueue.length > 0 || executions.length > 0) {
        await drain(
          eventsQueue,
          10,
          async (records) => (await events({ Records: records })) ?? undefined,
          deadLetters,
        );
        const running = executions.splice(0);
        await Promise.all(running);
      }
    },
    close: async () => {
      await deleteTables(admin.dynamo, tables);
      admin.s3.destroy();
      admin.dynamo.destroy();
    },
  };
};
