// A stand-in for the AWS account around the deployed code. The three Lambda functions run from
// their esbuild bundles (each in a worker thread with the environment the template gives it);
// the ECS task runs the task mains' logic from source with the task definition's environment.
// Every principal talks HTTP to its own recording proxy, which sends S3 to s3rver and DynamoDB
// to DynamoDB Local and answers EventBridge and Step Functions from the emulation here: rules
// route events to the events queue, StartExecution runs the state machine definition of the
// synthesised template (aws-local-stepfunctions, which applies TimeoutSeconds), and a
// `.waitForTaskToken` state waits for SendTask* calls under the definition's HeartbeatSeconds,
// which this emulation enforces (the library has no heartbeat timer).
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { LocalSfnWorkflowStarter } from '../../../src/adapters/local-sfn/local-sfn-workflow-starter.js';
import {
  createTables,
  deleteTables,
  type TableNames,
} from '../../../src/adapters/dynamodb/dynamodb-table-setup.js';
import type { AwsApp } from '../../../src/entrypoints/composition/aws.container.js';
import { runGroupTask } from '../../../src/entrypoints/ecs/group-task.js';
import type { TaskResult, TaskRunner } from '../../../src/ports/task-runner.port.js';
import { executionNameFor } from '../../../src/ports/workflow.port.js';
import type { Synthesised } from '../../../infra/test/synth.js';
import type { LambdaHandler } from '../../../infra/lib/lambda-esbuild.js';
import { localDynamoClient, localS3Client, uniqueName } from '../aws-clients.js';
import { quietLogger } from '../aws-test-app.js';
import type { StubAnswer, StubRequest } from '../stub-http.js';
import { startBundledFunction, type BundledFunction } from './bundled-function.js';
import { ingestRoute } from './ingest-route.js';
import { sqsQueue } from './sqs-queue.js';
import { heartbeatMsOf, namedError, taskTokens } from './task-tokens.js';
import { appOnProxy, lambdaEnvironment } from './principal-apps.js';
import { ACCOUNT, REGION, type Call, type Names } from './recorded-calls.js';
import { startRecordingProxy, type WireAnswer, type WireRequest } from './recording-proxy.js';
import { physicalOf, taskEnvironment, type FunctionName } from './stack-environment.js';

export type Principal = 'ingest' | 'events' | 'workflowTask' | 'task' | 'ingestTask' | 'operator';

/** where a test breaks things */
export interface Faults {
  /** an answer instead of the service's, for one request on the wire of any principal */
  wire?: (request: WireRequest) => WireAnswer | undefined;
  /** a Lambda function dies right after this request of its took effect (S3, DynamoDB) */
  dieAfter?: (request: WireRequest) => boolean;
  /** PutEvents reports this entry failed (the others are delivered) */
  failEntry?: (detailType: string) => boolean;
  /** the task container: exits 1 before doing anything, hangs (never calls back or exits), or
   *  is slow (validate works for two HeartbeatSeconds, beating as it goes) */
  task?: (
    task: 'validate' | 'transform',
    groupId: string,
  ) => 'exit-1' | 'hang' | 'slow' | undefined;
}

export interface Execution {
  readonly name: string;
  readonly groupId: string;
  outcome?: 'succeeded' | 'rejected' | 'failed';
}

const FUNCTIONS: Record<FunctionName, LambdaHandler> = {
  ingest: 'ingest',
  events: 'events',
  workflowTask: 'workflow-task',
};

export interface WorldOptions {
  readonly synth: Synthesised;
  /** the state machine definition to run (the template's, possibly with scaled timeouts) */
  readonly definition: string;
  readonly bundles: Record<LambdaHandler, string>;
  readonly faults?: Faults;
  /** variables set over a function's template environment (e.g. the big-file threshold) */
  readonly lambdaEnv?: Partial<Record<FunctionName, Record<string, string>>>;
}

export const awsWorld = async ({
  synth,
  definition,
  bundles,
  faults = {},
  lambdaEnv = {},
}: WorldOptions) => {
  const bucket = uniqueName('fidelity');
  const admin = { s3: localS3Client(), dynamo: localDynamoClient() };
  await admin.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const tables: TableNames = await createTables(admin.dynamo, uniqueName('f'));
  const names: Names = {
    bucket,
    busName: 'shop-pipeline-bus',
    stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:pipeline`,
  };
  const physical = physicalOf(synth, names, tables);
  const calls: Call[] = [];
  const deadLetters: string[] = [];
  // the landing queue (one file a batch) and the events queue (ten a batch), as in the stack
  const landing = sqsQueue(1, deadLetters);
  const eventsQueue = sqsQueue(10, deadLetters);
  const running: Promise<unknown>[] = [];
  const executions: Execution[] = [];
  const started = new Set<string>();
  const machine: { starter?: LocalSfnWorkflowStarter } = {};

  const tokens = taskTokens(heartbeatMsOf(definition));
  const heartbeatMs = heartbeatMsOf(definition);

  const putEvents = (request: StubRequest): StubAnswer => {
    const entries = request.body['Entries'] as Array<Record<string, string>>;
    const results = entries.map((e, i) => {
      const type = e['DetailType'] ?? '';
      if (faults.failEntry?.(type) === true) {
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'injected' };
      }
      // the stack's rules: GroupCompleted and terminal events go to the events queue
      if (['GroupCompleted', 'Archived', 'TransformFailed'].includes(type)) {
        const detail = JSON.parse(e['Detail'] ?? '{}') as unknown;
        eventsQueue.messages.push(
          JSON.stringify({ source: e['Source'], 'detail-type': type, detail }),
        );
      }
      return { EventId: `e${i}` };
    });
    const failed = results.filter((r) => 'ErrorCode' in r).length;
    return { status: 200, body: { FailedEntryCount: failed, Entries: results } };
  };

  const route: { app?: AwsApp } = {};
  const bigFiles = ingestRoute(synth, () => route.app!);
  const ingestArn = physical[bigFiles.id]!.arn;
  const stepFunctions = (request: StubRequest): StubAnswer => {
    const op = request.target.split('.')[1] ?? '';
    if (op === 'StartExecution' && request.body['stateMachineArn'] === ingestArn) {
      const name = String(request.body['name']);
      if (started.has(name)) {
        return { status: 400, body: { __type: 'ExecutionAlreadyExists', message: name } };
      }
      started.add(name);
      running.push(
        bigFiles.start(name, JSON.parse(String(request.body['input'])) as { fileKey: string }),
      );
      return { status: 200, body: { executionArn: `${ingestArn}:${name}`, startDate: 0 } };
    }
    if (op === 'StartExecution') {
      // besides the ingest route, the group workflow is the only machine this world runs
      if (request.body['stateMachineArn'] !== names.stateMachineArn) {
        const arn = String(request.body['stateMachineArn']);
        return { status: 400, body: { __type: 'StateMachineDoesNotExist', message: arn } };
      }
      const name = String(request.body['name']);
      if (started.has(name)) {
        return { status: 400, body: { __type: 'ExecutionAlreadyExists', message: name } };
      }
      started.add(name);
      const input = JSON.parse(String(request.body['input'])) as {
        groupId: string;
        manifestKey: string;
      };
      const execution: Execution = { name, groupId: input.groupId };
      executions.push(execution);
      const starter = machine.starter!;
      running.push(
        starter.start(input).then(() => {
          execution.outcome = starter.outcome(executionNameFor(input.groupId));
        }),
      );
      return {
        status: 200,
        body: { executionArn: `${names.stateMachineArn}:${name}`, startDate: 0 },
      };
    }
    return tokens.answer(op, request);
  };

  const proxies = new Map<Principal, Awaited<ReturnType<typeof startRecordingProxy>>>();
  for (const principal of [
    'ingest',
    'events',
    'workflowTask',
    'task',
    'ingestTask',
    'operator',
  ] as const) {
    proxies.set(
      principal,
      await startRecordingProxy({
        principal,
        names,
        calls,
        s3Endpoint: inject('s3Endpoint'),
        dynamoEndpoint: inject('dynamoEndpoint'),
        emulate: (service, request) =>
          service === 'events' ? putEvents(request) : stepFunctions(request),
        ...(faults.wire === undefined ? {} : { fault: faults.wire }),
        ...(faults.dieAfter === undefined || !(principal in FUNCTIONS)
          ? {}
          : {
              dieAfter: faults.dieAfter,
              onDie: () => functions[principal as FunctionName].kill(),
            }),
      }),
    );
  }
  const urlOf = (p: Principal) => proxies.get(p)!.url;

  const functions = {} as Record<FunctionName, BundledFunction>;
  for (const [name, handler] of Object.entries(FUNCTIONS) as Array<[FunctionName, LambdaHandler]>) {
    const env = { ...lambdaEnvironment(synth, name, physical, urlOf(name)), ...lambdaEnv[name] };
    functions[name] = startBundledFunction(name, bundles[handler], env);
  }
  const task = appOnProxy(taskEnvironment(synth, physical), urlOf('task'));
  const ingestTask = appOnProxy(
    taskEnvironment(synth, physical, synth.stack.tasks.ingestTaskDefinition),
    urlOf('ingestTask'),
  );
  route.app = ingestTask.app;
  // the operator runs `retry --aws` with the stack's names (the events function has them all)
  const operator = appOnProxy(
    lambdaEnvironment(synth, 'events', physical, urlOf('operator')),
    urlOf('operator'),
  );

  let tokenCount = 0;
  const tasks: TaskRunner = {
    run: async (name, input) => {
      const env = { GROUP_ID: input.groupId, MANIFEST_KEY: input.manifestKey };
      if (name === 'validate') {
        const token = `${input.groupId}-${++tokenCount}`;
        const callback = tokens.waitForCallback(token);
        // the container: ECS started it; a hung or crashed one never calls back, a slow one
        // works for two heartbeat periods and must keep its token alive meanwhile
        const behaviour = faults.task?.('validate', input.groupId);
        if (behaviour !== 'hang' && behaviour !== 'exit-1') {
          const slow = (): AwsApp => ({
            ...task.app,
            runTask: async (t, i) => {
              await new Promise((r) => setTimeout(r, 2 * heartbeatMs));
              return task.app.runTask(t, i);
            },
          });
          // beats at the production ratio: every 60 s under HeartbeatSeconds 300
          void runGroupTask(
            'validate',
            { ...env, TASK_TOKEN: token },
            behaviour === 'slow' ? slow : () => task.app,
            heartbeatMs / 5 || undefined,
          );
        }
        return callback;
      }
      if (name === 'transform') {
        const behaviour = faults.task?.('transform', input.groupId);
        // `.sync` follows the container: an exit code other than 0 fails the state
        if (behaviour === 'exit-1')
          throw namedError('States.TaskFailed', 'Essential container exited (1)');
        if (behaviour === 'hang') await new Promise(() => {});
        if ((await runGroupTask('transform', env, () => task.app)) !== 0) {
          throw namedError('States.TaskFailed', 'Essential container exited (1)');
        }
        return { ...input, ok: true };
      }
      // lambda:invoke: the function's result is the task's (an error fails the state by name)
      return (await functions.workflowTask.invoke({ task: name, ...input })) as TaskResult;
    },
  };
  machine.starter = new LocalSfnWorkflowStarter(definition, tasks, quietLogger, [1, 2, 4]);

  /** bus -> SQS -> events function, and the executions it starts, until nothing is left */
  const settle = async () => {
    while (eventsQueue.messages.length > 0 || running.length > 0) {
      await eventsQueue.drain(functions.events);
      await Promise.all(running.splice(0));
    }
  };

  return {
    names,
    tables,
    calls,
    deadLetters,
    /** how often each message was handed back (a redelivery shows a fault was felt) */
    receives: () => ({ landing: landing.receives.size, events: eventsQueue.receives.size }),
    executions,
    /** executions of the ingest route (files at or above the function's size threshold) */
    ingestExecutions: bigFiles.executions,
    functions,
    operator,
    /** uploads the files, then S3 -> SQS -> ingest function (one file a batch), and settles */
    run: async (files: Array<{ key: string; body: string }>) => {
      for (const f of files) {
        await admin.s3.send(new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: f.body }));
        const key = encodeURIComponent(f.key).replace(/%2F/g, '/');
        landing.messages.push(
          JSON.stringify({
            Records: [
              {
                eventName: 'ObjectCreated:Put',
                s3: { bucket: { name: bucket }, object: { key, size: Buffer.byteLength(f.body) } },
              },
            ],
          }),
        );
      }
      await landing.drain(functions.ingest);
      await settle();
    },
    settle,
    close: async () => {
      for (const fn of Object.values(functions)) await fn.close();
      for (const proxy of proxies.values()) await proxy.close();
      await deleteTables(admin.dynamo, tables);
      admin.s3.destroy();
      admin.dynamo.destroy();
    },
  };
};

export type AwsWorld = Awaited<ReturnType<typeof awsWorld>>;
