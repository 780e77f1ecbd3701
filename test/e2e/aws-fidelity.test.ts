// AWS fidelity: the Lambda handlers run from their esbuild bundles (built here with the stack's
// bundling options), the task mains from source, against s3rver + DynamoDB Local, with the
// state machine definition of the synthesised template (not the source file). Every API call is
// checked against its principal's policies in that template by an IAM simulator. Other runs
// break things at the AWS boundaries: the pipeline either completes, or ends in a visible
// failed state that `retry --aws` recovers, and in every case the KPIs equal a fault-free run's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/adapters/in-memory/manual-clock.js';
import { groupState } from '../../src/application/event-log.js';
import { STUCK_AFTER_MS } from '../../src/application/stuck-groups.js';
import { sampleShop } from '../../src/domain/sample/sample-shop.js';
import { retryOnAws } from '../../src/entrypoints/cli/retry-aws.js';
import { inMemoryApp } from '../../src/entrypoints/composition/in-memory.container.js';
import { CLOCK } from '../../src/ports/clock.port.js';
import { EVENT_STORE, type EventStore } from '../../src/ports/event-store.port.js';
import { KPI_STORE, type KpiStore } from '../../src/ports/kpi-store.port.js';
import {
  buildLambdaBundle,
  LAMBDA_HANDLERS,
  type LambdaHandler,
} from '../../infra/lib/lambda-esbuild.js';
import { logicalIdOf, synthPipeline, type Synthesised } from '../../infra/test/synth.js';
import { awsWorld, type AwsWorld, type Faults } from '../integration/fidelity/aws-world.js';
import { checkIam } from '../integration/fidelity/iam-check.js';
import type { WireRequest } from '../integration/fidelity/recording-proxy.js';

const shop = sampleShop({ orders: 12, seed: 11, products: 6 });
const text = (lines: Iterable<string>) => [...lines].join('\n') + '\n';
// items first: every order waits for something, as in a real upload
const FILES = [
  { key: 'incoming/order_items/items.csv', body: text(shop.orderItems), dataset: 'order_items' },
  { key: 'incoming/orders/orders.csv', body: text(shop.orders), dataset: 'orders' },
  { key: 'incoming/products/products.csv', body: text(shop.products), dataset: 'products' },
] as const;
const UPLOADS = FILES.map(({ key, body }) => ({ key, body }));

let synth: Synthesised;
let definition: string;
let bundleDir: string;
let bundles: Record<LambdaHandler, string>;
let expected: Awaited<ReturnType<KpiStore['query']>>;

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation(() => true);
  }
  // esbuild works in its own process while the synth below keeps this one busy
  bundleDir = mkdtempSync(join(tmpdir(), 'fidelity-bundles-'));
  const built = Promise.all(LAMBDA_HANDLERS.map((name) => buildLambdaBundle(name, bundleDir)));
  // CDK synth in process: slow on a busy machine, hence the generous hook timeout
  synth = synthPipeline({ bundle: false, nag: false, cfnValidation: false });
  const machine = synth.template.findResources('AWS::StepFunctions::StateMachine')[
    logicalIdOf(synth.stack.workflow.stateMachine)
  ];
  definition = String((machine?.Properties as { DefinitionString: string }).DefinitionString);
  const embedded = inMemoryApp();
  for (const f of FILES)
    await embedded.deliver(f.key.split('/')[2]!, new TextEncoder().encode(f.body), f.dataset);
  await embedded.processUntilIdle();
  expected = await embedded.kpis();
  const paths = await built;
  bundles = Object.fromEntries(LAMBDA_HANDLERS.map((n, i) => [n, paths[i]!])) as typeof bundles;
}, 600_000);
afterAll(() => {
  vi.restoreAllMocks();
  if (bundleDir !== undefined) rmSync(bundleDir, { recursive: true, force: true });
});

const kpisOf = (world: AwsWorld) => world.operator.container.get<KpiStore>(KPI_STORE).query();
const groupsOf = (world: AwsWorld) => [...new Set(world.executions.map((e) => e.groupId))].sort();
const statusOf = async (world: AwsWorld, groupId: string) =>
  groupState(world.operator.container.get<EventStore>(EVENT_STORE), groupId);

/** retry --aws as the operator runs it (no group named: every transform-failed or stuck group) */
const retryAll = async (world: AwsWorld, attempt: string) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await retryOnAws(
    [],
    (l) => out.push(l),
    (l) => err.push(l),
    () => world.operator.app,
    attempt,
  );
  await world.settle();
  return { code, out, err };
};

/** the IAM simulation of everything the run called: no call may be denied */
const expectAllowed = async (world: AwsWorld) => {
  const report = await checkIam(synth, world);
  expect(report.structural.every((k) => k.startsWith('task states:SendTask'))).toBe(true);
  expect(report.denied).toEqual([]);
  return report;
};

/**
 * The template's definition with the Validate state's HeartbeatSeconds (300) and TimeoutSeconds
 * (3600) divided by `factor`: a heartbeat timeout in seconds instead of five minutes. Only these
 * two numbers change; the tasks beat at the production ratio (every HeartbeatSeconds / 5).
 */
const withValidateTimeoutsScaled = (factor: number) => {
  const asl = JSON.parse(definition) as { States: Record<string, Record<string, number>> };
  const validate = asl.States['Validate']!;
  expect(validate.HeartbeatSeconds).toBe(300);
  validate.HeartbeatSeconds = Math.ceil(validate.HeartbeatSeconds! / factor);
  validate.TimeoutSeconds = Math.ceil(validate.TimeoutSeconds! / factor);
  return JSON.stringify(asl);
};

// The runs are independent worlds (own bucket, tables, proxies and function workers): run side
// by side, the heartbeat run's waiting overlaps the others' work.
describe.concurrent(
  'AWS fidelity (bundled handlers, synthesised definition, IAM-simulated calls)',
  () => {
    it('runs the pipeline with every API call allowed by its principal policy, and the embedded KPIs', async () => {
      // the biggest file is at the function's big-file threshold, so it takes the route a big
      // export takes: the ECS ingest task, through the ingest state machine
      const biggest = [...UPLOADS].sort((a, b) => b.body.length - a.body.length)[0]!;
      const threshold = String(Buffer.byteLength(biggest.body));
      const world = await awsWorld({
        synth,
        definition,
        bundles,
        lambdaEnv: { ingest: { INGEST_TASK_MIN_BYTES: threshold } },
      });
      try {
        await world.run(UPLOADS);
        expect(world.deadLetters).toEqual([]);
        expect(await kpisOf(world)).toEqual(expected);
        expect(world.ingestExecutions).toMatchObject([
          { fileKey: biggest.key, outcome: 'succeeded' },
        ]);
        // the bundles did the work: their own Powertools logs say so
        expect(world.functions.ingest.output.join('')).toContain('file processed');
        expect(world.functions.workflowTask.output.join('')).toContain('archive done');
        expect(world.executions.every((e) => e.outcome === 'succeeded')).toBe(true);
        const { checked } = await expectAllowed(world);
        // the list of (principal, action) pairs the simulation checked, in the test report
        console.info(`IAM-simulated (principal, action) pairs:\n${checked.join('\n')}`);
        expect(checked).toEqual(
          expect.arrayContaining([
            'ingest s3:GetObject',
            'ingest s3:PutObject',
            'ingest dynamodb:Query',
            'ingest events:PutEvents',
            'ingest states:StartExecution',
            'ingestTask s3:GetObject',
            'ingestTask dynamodb:PutItem',
            'ingestTask events:PutEvents',
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
      const fired = new Map<string, number>();
      /** true for the first `times` requests that match `what` */
      const first = (what: string, times = 1) => {
        const n = fired.get(what) ?? 0;
        if (n >= times) return false;
        fired.set(what, n + 1);
        return true;
      };
      const json = (status: number, type: string, message: string) => ({
        status,
        body: JSON.stringify({ __type: type, message }),
      });
      const xml = (status: number, code: string) => ({
        status,
        headers: { 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected</Message></Error>`,
      });
      const deltaCommit = (r: WireRequest) =>
        r.operation === 'PutObject' &&
        r.input['IfNoneMatch'] === '*' &&
        String(r.input['Key']).includes('_delta_log/');
      const faults: Faults = {
        wire: (r) => {
          // PutEvents down for the SDK's three attempts: the landing fails, SQS redelivers it,
          // and the stored event is published again
          if (r.principal === 'ingest' && r.operation === 'PutEvents' && first('put-events', 3))
            return json(500, 'InternalException', 'down');
          // StartExecution throttled past the SDK's retries: the events message comes back
          if (r.operation === 'StartExecution' && first('throttled-start', 3))
            return json(400, 'ThrottlingException', 'Rate exceeded');
          // a Delta commit answered 409 (a racing conditional PUT), the next one 412
          if (r.principal === 'task' && deltaCommit(r) && first('s3-409'))
            return xml(409, 'ConditionalRequestConflict');
          if (r.principal === 'task' && deltaCommit(r) && first('s3-412'))
            return xml(412, 'PreconditionFailed');
          if (r.principal === 'task' && r.operation === 'BatchWriteItem' && first('ddb-throttle'))
            return json(
              400,
              'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
              'throttled',
            );
          return undefined;
        },
        // the ingest function dies right after appending a GroupCompleted, before publishing it
        dieAfter: (r) =>
          r.principal === 'ingest' &&
          r.operation === 'TransactWriteItems' &&
          JSON.stringify(r.input).includes('GroupCompleted') &&
          first('died-after-append'),
        // one GroupCompleted entry of a PutEvents call reported failed
        failEntry: (type) => type === 'GroupCompleted' && first('failed-entry'),
      };
      const world = await awsWorld({ synth, definition, bundles, faults });
      try {
        await world.run(UPLOADS);
        expect(world.deadLetters).toEqual([]);
        expect(await kpisOf(world)).toEqual(expected);
        expect(Object.fromEntries(fired)).toEqual({
          'put-events': 3,
          'throttled-start': 3,
          's3-409': 1,
          's3-412': 1,
          'ddb-throttle': 1,
          'failed-entry': 1,
          'died-after-append': 1,
        });
        // the failures reached the handlers: the landing whose publish failed, the one whose
        // function died, and the events message whose StartExecution was throttled were handed
        // back to SQS, once each
        expect(world.receives()).toEqual({ landing: 2, events: 1 });
        await expectAllowed(world);
      } finally {
        await world.close();
      }
    });

    it('fails every group whose Validate task never calls back (heartbeat timeout), and retry --aws recovers it', async () => {
      let broken = true;
      const hung: string[] = [];
      const world = await awsWorld({
        synth,
        // 50: a 6 s heartbeat with a beat every 1.2 s, so a busy machine that stalls this process
        // for a few seconds still gets the slow task's beats in (3 s left too little margin)
        definition: withValidateTimeoutsScaled(50),
        bundles,
        faults: {
          task: (task, groupId) => {
            if (task !== 'validate') return undefined;
            // after the fix the tasks are slow: they outlive HeartbeatSeconds, beating
            if (!broken) return 'slow';
            hung.push(groupId);
            return 'hang';
          },
        },
      });
      try {
        await world.run(UPLOADS);
        const groups = groupsOf(world);
        expect(groups.length).toBeGreaterThan(0);
        // each group's Validate timed out three times (the Retry's two more tries), then Catch ->
        // RecordFailure -> Fail: a failed execution and a transform-failed group naming the cause
        for (const g of groups) expect(hung.filter((h) => h === g)).toHaveLength(3);
        expect(world.executions.map((e) => e.outcome)).toEqual(groups.map(() => 'failed'));
        for (const g of groups) {
          const state = await statusOf(world, g);
          expect(state.status).toBe('transform-failed');
          expect(state.lastError).toContain('States.HeartbeatTimeout');
        }
        expect((await kpisOf(world)).order).toEqual([]);
        broken = false;
        const retried = await retryAll(world, '20260101000000');
        expect(retried).toMatchObject({ code: 0, err: [] });
        expect(retried.out).toHaveLength(groups.length);
        for (const g of groups) expect((await statusOf(world, g)).status).toBe('archived');
        expect(await kpisOf(world)).toEqual(expected);
        expect(world.deadLetters).toEqual([]);
        // the retried tasks worked for twice HeartbeatSeconds: their heartbeats kept them alive
        const { checked } = await expectAllowed(world);
        expect(checked).toEqual(
          expect.arrayContaining(['task states:SendTaskHeartbeat', 'task states:SendTaskSuccess']),
        );
      } finally {
        await world.close();
      }
    });

    it('fails every group whose Transform task exits 1 on each attempt, and retry --aws recovers it', async () => {
      let broken = true;
      const exits: string[] = [];
      const world = await awsWorld({
        synth,
        definition,
        bundles,
        faults: {
          task: (task, groupId) => {
            if (!broken || task !== 'transform') return undefined;
            exits.push(groupId);
            return 'exit-1';
          },
        },
      });
      try {
        await world.run(UPLOADS);
        const groups = groupsOf(world);
        expect(groups.length).toBeGreaterThan(0);
        // three runs of the task (the Retry's two more on States.TaskFailed), then Catch -> Fail
        for (const g of groups) expect(exits.filter((x) => x === g)).toHaveLength(3);
        expect(world.executions.map((e) => e.outcome)).toEqual(groups.map(() => 'failed'));
        for (const g of groups) {
          const state = await statusOf(world, g);
          expect(state.status).toBe('transform-failed');
          expect(state.lastError).toContain('States.TaskFailed');
        }
        broken = false;
        const retried = await retryAll(world, '20260101000001');
        expect(retried).toMatchObject({ code: 0, err: [] });
        expect(retried.out.every((l) => /started group-.*-retry-20260101000001/.test(l))).toBe(
          true,
        );
        // what `retry --aws` needs of the operator's credentials (docs/deploy.md lists it)
        const operator = world.calls.filter((c) => c.principal === 'operator');
        expect([...new Set(operator.map((c) => `${c.action} ${c.resource}`))].sort()).toEqual([
          `dynamodb:Query arn:aws:dynamodb:us-east-1:123456789012:table/${world.tables.events}`,
          `states:StartExecution ${world.names.stateMachineArn}`,
        ]);
        // a second retry finds nothing left to do
        expect((await retryAll(world, '20260101000002')).out).toEqual([
          'no failed or stuck groups',
        ]);
        for (const g of groups) expect((await statusOf(world, g)).status).toBe('archived');
        expect(await kpisOf(world)).toEqual(expected);
        await expectAllowed(world);
      } finally {
        await world.close();
      }
    });

    it('leaves a group whose workflow never started stuck, and retry --aws starts it later', async () => {
      let broken = true;
      const world = await awsWorld({
        synth,
        definition,
        bundles,
        faults: {
          // every StartExecution of the events function throttled: each GroupCompleted message
          // is received 5 times, then kept in the dead-letter queue; no execution ever starts
          wire: (r) =>
            broken && r.principal === 'events' && r.operation === 'StartExecution'
              ? {
                  status: 400,
                  body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
                }
              : undefined,
        },
      });
      try {
        await world.run(UPLOADS);
        broken = false;
        expect(world.executions).toEqual([]);
        expect(world.deadLetters.length).toBeGreaterThan(0);
        const operatorClock = new ManualClock(Date.now());
        world.operator.container.rebind(CLOCK).toConstantValue(operatorClock);
        // within the workflow's longest life the group may still start: retry leaves it alone
        expect((await retryAll(world, '20260101000003')).out).toEqual([
          'no failed or stuck groups',
        ]);
        operatorClock.advance(STUCK_AFTER_MS + 60_000);
        const retried = await retryAll(world, '20260101000004');
        expect(retried).toMatchObject({ code: 0, err: [] });
        expect(retried.out.length).toBeGreaterThan(0);
        for (const line of retried.out) {
          expect(line).toMatch(
            /^\S+: started group-.*-retry-20260101000004 \(was stuck: completed since \d{4}-.*Z\)$/,
          );
        }
        for (const g of groupsOf(world)) expect((await statusOf(world, g)).status).toBe('archived');
        expect(groupsOf(world)).toHaveLength(retried.out.length);
        expect(await kpisOf(world)).toEqual(expected);
        await expectAllowed(world);
      } finally {
        await world.close();
      }
    });
  },
);
