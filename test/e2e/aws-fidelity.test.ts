// AWS fidelity: the handlers and task mains run against s3rver + DynamoDB Local, with the state
// machine definition of the synthesised template (not the source file), and every SDK call is
// checked against its principal's policies in that template by an IAM simulator. A second run
// breaks things at the AWS boundaries and must still end with the KPIs of a fault-free run.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sampleShop } from '../../src/domain/sample/sample-shop.js';
import { inMemoryApp } from '../../src/entrypoints/composition/in-memory.container.js';
import { KPI_STORE, type KpiStore } from '../../src/ports/kpi-store.port.js';
import { buildAwsContainer } from '../../src/entrypoints/composition/aws.container.js';
import { localDynamoClient, localS3Client } from '../integration/aws-clients.js';
import { quietLogger } from '../integration/aws-test-app.js';
import { awsWorld, type Faults } from '../integration/fidelity/aws-world.js';
import {
  rolePolicies,
  simulate,
  type Physical,
} from '../integration/fidelity/template-policies.js';
import { logicalIdOf, synthPipeline, type Synthesised } from '../../infra/test/synth.js';
import type { TableName } from '../../infra/lib/storage.js';

const shop = sampleShop({ orders: 12, seed: 11, products: 6 });
const text = (lines: Iterable<string>) => [...lines].join('\n') + '\n';
// items first: every order waits for something, as in a real upload
const FILES = [
  { key: 'incoming/order_items/items.csv', body: text(shop.orderItems), dataset: 'order_items' },
  { key: 'incoming/orders/orders.csv', body: text(shop.orders), dataset: 'orders' },
  { key: 'incoming/products/products.csv', body: text(shop.products), dataset: 'products' },
] as const;

let synth: Synthesised;
let definition: string;
let expected: Awaited<ReturnType<KpiStore['query']>>;

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation(() => true);
  }
  // CDK synth in process: slow on a busy machine, hence the generous hook timeout
  synth = synthPipeline({ bundle: false, nag: false });
  const machine = Object.values(
    synth.template.findResources('AWS::StepFunctions::StateMachine'),
  )[0];
  definition = String((machine?.Properties as { DefinitionString: string }).DefinitionString);
  const embedded = inMemoryApp();
  for (const f of FILES)
    await embedded.deliver(f.key.split('/')[2]!, new TextEncoder().encode(f.body), f.dataset);
  await embedded.processUntilIdle();
  expected = await embedded.kpis();
}, 600_000);
afterAll(() => vi.restoreAllMocks());

/** whether an Allow statement names the action (or its prefix*) on exactly that resource */
const allowsOn = (policies: Array<{ policy: unknown }>, action: string, resource: string) =>
  policies.some(({ policy }) =>
    ((policy as { Statement: unknown[] }).Statement as Array<Record<string, unknown>>).some((s) => {
      const actions = [s.Action].flat() as string[];
      const resources = [s.Resource].flat() as string[];
      const actionOk = actions.some(
        (a) => a === action || (a.endsWith('*') && action.startsWith(a.slice(0, -1))),
      );
      return s.Effect === 'Allow' && actionOk && resources.includes(resource);
    }),
  );

const kpisOf = async (world: Awaited<ReturnType<typeof awsWorld>>) => {
  const clients = { s3: localS3Client(), dynamo: localDynamoClient() } as never;
  const container = buildAwsContainer(
    { bucket: world.names.bucket, tables: world.tables, eventBusName: 'x' },
    clients,
    { logger: quietLogger },
  );
  return container.get<KpiStore>(KPI_STORE).query();
};

const physicalOf = (world: Awaited<ReturnType<typeof awsWorld>>): Physical => {
  const { storage, routing, workflow } = synth.stack;
  const out: Physical = {
    [logicalIdOf(storage.bucket)]: {
      ref: world.names.bucket,
      arn: `arn:aws:s3:::${world.names.bucket}`,
    },
    [logicalIdOf(routing.bus)]: {
      ref: world.names.busName,
      arn: `arn:aws:events:us-east-1:123456789012:event-bus/${world.names.busName}`,
    },
    [logicalIdOf(workflow.stateMachine)]: {
      ref: world.names.stateMachineArn,
      arn: world.names.stateMachineArn,
    },
  };
  for (const [name, table] of Object.entries(storage.tables)) {
    const physical = world.tables[name as TableName];
    out[logicalIdOf(table)] = {
      ref: physical,
      arn: `arn:aws:dynamodb:us-east-1:123456789012:table/${physical}`,
    };
  }
  return out;
};

describe('AWS fidelity (synthesised definition, IAM-simulated calls)', () => {
  it('runs the pipeline with every SDK call allowed by its principal policy, and the embedded KPIs', async () => {
    const world = await awsWorld(definition);
    try {
      await world.run(FILES.map(({ key, body }) => ({ key, body })));
      expect(world.deadLetters).toEqual([]);
      expect(await kpisOf(world)).toEqual(expected);
      const { functions, tasks } = synth.stack;
      const roles = {
        ingest: logicalIdOf(functions.ingest.role!),
        events: logicalIdOf(functions.events.role!),
        workflowTask: logicalIdOf(functions.workflowTask.role!),
        task: logicalIdOf(tasks.taskDefinition.taskRole),
      };
      const physical = physicalOf(world);
      const pairs = new Map<string, (typeof world.calls)[number]>();
      for (const c of world.calls) pairs.set(`${c.principal} ${c.action} ${c.resource}`, c);
      const denied: string[] = [];
      const structural: string[] = [];
      for (const [key, call] of pairs) {
        const principalRole = roles[call.principal as keyof typeof roles];
        const policies = rolePolicies(synth.template, principalRole, physical);
        const verdict = await simulate(call, policies);
        // SendTask* have no resource type in IAM's reference, so the simulator insists on "*";
        // AWS authorises them against the token's state machine (its AccessDenied names it),
        // so for those the role must allow the action on our machine's ARN
        if (verdict.includes('must.use.wildcard')) {
          structural.push(key);
          if (!allowsOn(policies, call.action, call.resource)) denied.push(`${key}: not granted`);
        } else if (verdict !== 'Allowed') denied.push(`${key}: ${verdict}`);
      }
      expect(structural.every((k) => k.startsWith('task states:SendTask'))).toBe(true);
      const checked = [...new Set(world.calls.map((c) => `${c.principal} ${c.action}`))].sort();
      // the list of (principal, action) pairs the simulation checked, in the test report
      console.info(`IAM-simulated (principal, action) pairs:\n${checked.join('\n')}`);
      expect(denied).toEqual([]);
      expect(checked).toEqual(
        expect.arrayContaining([
          'ingest s3:GetObject',
          'ingest s3:PutObject',
          'ingest dynamodb:Query',
          'ingest events:PutEvents',
          'events states:StartExecution',
          'task s3:PutObject',
          'task states:SendTaskSuccess',
          'workflowTask s3:PutObject',
          'workflowTask s3:DeleteObject',
        ]),
      );
    } finally {
      await world.close();
    }
  });

  it('recovers from faults at the AWS boundaries with the KPIs of a fault-free run', async () => {
    const once = new Set<string>();
    const first = (what: string) => !once.has(what) && once.add(what) !== undefined;
    const faults: Faults = {
      // PutEvents: the whole call fails once, then one entry of a call fails once
      putEvents: (_r, call) =>
        call === 0
          ? { status: 500, body: { __type: 'InternalException', message: 'down' } }
          : undefined,
      // StartExecution throttled once: the events message is redelivered
      startExecution: (_r, call) =>
        call === 0
          ? { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } }
          : undefined,
      task: (task, groupId) => {
        // a validate task that never calls back: the heartbeat times out, the state retries
        if (task === 'validate' && first(`hb-${groupId}`)) {
          throw Object.assign(new Error('no heartbeat'), { name: 'States.HeartbeatTimeout' });
        }
        // a transform task that exits 1: States.TaskFailed, retried by the state machine
        if (task === 'transform' && first(`exit-${groupId}`)) {
          throw Object.assign(new Error('exit 1'), { name: 'States.TaskFailed' });
        }
      },
    };
    // the task's clients: a Delta commit answered 409 (a racing conditional PUT), the next one
    // 412 (the key taken), and a DynamoDB write throttled, each once
    faults.clients = (principal, clients) => {
      if (principal !== 'task') return;
      clients.s3.middlewareStack.add(
        (next, context) => async (args) => {
          const input = args.input as { Key?: string; IfNoneMatch?: string };
          const commit =
            context.commandName === 'PutObjectCommand' &&
            input.IfNoneMatch === '*' &&
            String(input.Key).includes('_delta_log/');
          if (commit && first('s3-409')) {
            throw Object.assign(new Error('conflict'), {
              name: 'ConditionalRequestConflict',
              $metadata: { httpStatusCode: 409 },
            });
          }
          if (commit && first('s3-412')) {
            throw Object.assign(new Error('precondition'), {
              name: 'PreconditionFailed',
              $metadata: { httpStatusCode: 412 },
            });
          }
          return next(args);
        },
        { step: 'initialize', name: 'fault-s3-409' },
      );
      clients.dynamo.middlewareStack.add(
        (next, context) => async (args) => {
          if (/BatchWrite/.test(String(context.commandName)) && first('ddb-throttle')) {
            throw Object.assign(new Error('throttled'), {
              name: 'ProvisionedThroughputExceededException',
              $metadata: { httpStatusCode: 400 },
            });
          }
          return next(args);
        },
        { step: 'initialize', name: 'fault-ddb-throttle' },
      );
    };
    const world = await awsWorld(definition, faults);
    try {
      await world.run(FILES.map(({ key, body }) => ({ key, body })));
      expect(world.deadLetters).toEqual([]);
      expect(await kpisOf(world)).toEqual(expected);
      // every fault fired
      expect([...once].sort()).toEqual(
        expect.arrayContaining(['ddb-throttle', 's3-409', 's3-412']),
      );
    } finally {
      await world.close();
    }
  });
});
