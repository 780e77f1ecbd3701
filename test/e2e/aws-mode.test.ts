// The pipeline in AWS mode on local servers, end to end: s3rver's object-created notifications
// feed the ingest Lambda handler (as SQS batches), DynamoDB Local holds the event log, grouping
// index, facts and KPIs, GroupCompleted events reach the events Lambda handler (as EventBridge
// would deliver them), and the state machine's ASL runs locally with its Tasks bound to the ECS
// task mains' logic and the workflow-task Lambda handler. The KPIs read back from DynamoDB Local
// must equal those of the embedded (in-memory) run on the same files. This is the slow suite on
// the full lab data; test/e2e/aws-fidelity.test.ts is the fast one on the synthesised template.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalSfnWorkflowStarter } from '../../src/adapters/local-sfn/local-sfn-workflow-starter.js';
import type { DatasetName } from '../../src/domain/datasets.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import type { AwsApp } from '../../src/entrypoints/composition/aws.container.js';
import { readAslDefinition } from '../../src/entrypoints/composition/asl-definition.js';
import { inMemoryApp } from '../../src/entrypoints/composition/in-memory.container.js';
import { runGroupTask } from '../../src/entrypoints/ecs/group-task.js';
import { makeEventsHandler } from '../../src/entrypoints/lambda/events.handler.js';
import { makeIngestHandler } from '../../src/entrypoints/lambda/ingest.handler.js';
import { makeWorkflowTaskHandler } from '../../src/entrypoints/lambda/workflow-task.handler.js';
import { EVENT_STORE, type EventStore } from '../../src/ports/event-store.port.js';
import { KPI_STORE, type KpiStore } from '../../src/ports/kpi-store.port.js';
import type { TaskResult, TaskRunner } from '../../src/ports/task-runner.port.js';
import type { WorkflowStarter } from '../../src/ports/workflow.port.js';
import { awsTestApp, quietLogger, type AwsTestApp } from '../integration/aws-test-app.js';
import { sqsRecord } from '../integration/lambda-harness.js';
import { startS3rver, type S3Local } from '../integration/local-servers.js';
import { sharedFixture } from '../support/shared-fixtures.js';

// lab-data's products.csv has rows with an empty brand (a required column): under the default
// policy the whole file is rejected and no order ever completes. Both runs therefore use the
// opt-in policy that lands the good rows and sets the bad ones aside.
const POLICY = 'quarantine-rows' as const;
const labFixture = sharedFixture('lab-data');
const labData = labFixture.path;

/** lab-data's CSVs as (landing key, path), in a fixed interleaved order */
const labFiles = (): Array<{ key: string; path: string }> => {
  const files: Array<{ key: string; path: string }> = [];
  for (const dataset of ['orders', 'order_items']) {
    for (const name of readdirSync(join(labData, dataset)).sort()) {
      files.push({ key: `incoming/${dataset}/${name}`, path: join(labData, dataset, name) });
    }
  }
  files.push({ key: 'incoming/products/products.csv', path: join(labData, 'products.csv') });
  // items before their orders and products last: every order waits for something
  return [...files].sort(
    (a, b) => (a.key.includes('order_items') ? -1 : 0) - (b.key.includes('order_items') ? -1 : 0),
  );
};

/** The ECS task mains and the workflow-task Lambda, as the local state machine's tasks. */
const taskMains = (app: () => AwsApp): TaskRunner => ({
  run: async (task, input) => {
    const env = { GROUP_ID: input.groupId, MANIFEST_KEY: input.manifestKey };
    if (task === 'validate') {
      let reported: TaskResult | Error | undefined;
      const withCallbacks = (): AwsApp => ({
        ...app(),
        sendTaskSuccess: async (_token, result) => void (reported = result),
        sendTaskFailure: async (_token, error, cause) =>
          void (reported = Object.assign(new Error(cause), { name: error })),
      });
      await runGroupTask('validate', { ...env, TASK_TOKEN: 'local' }, withCallbacks);
      if (reported === undefined) throw new Error('validate reported nothing');
      if (reported instanceof Error) throw reported;
      return reported;
    }
    if (task === 'transform') {
      const code = await runGroupTask('transform', env, app);
      // a `.sync` ECS task that exits non-zero fails the state with States.TaskFailed
      if (code !== 0)
        throw Object.assign(new Error(`transform exited ${code}`), { name: 'States.TaskFailed' });
      return { ...input, ok: true };
    }
    return makeWorkflowTaskHandler(app)({ task, ...input });
  },
});

// The shared lab-data fixtures live beside the repository (../shared/fixtures), not in it: a
// clone without them skips this test rather than failing on a missing folder.
describe.skipIf(!labFixture.present)(
  'AWS mode end to end on lab-data (s3rver + DynamoDB Local)',
  () => {
    let s3: S3Local;
    let t: AwsTestApp;
    const notifications: string[] = [];

    beforeAll(async () => {
      // Powertools logs and metrics go to stdout: keep them out of the test report
      for (const stream of [process.stdout, process.stderr])
        vi.spyOn(stream, 'write').mockImplementation(() => true);
      s3 = await startS3rver([]);
      // the bucket notification's prefix filter (as the stack configures it): only incoming/
      s3.server.on(
        'event',
        (event: { Records?: Array<{ s3?: { object?: { key?: string } } }> }) => {
          const key = event.Records?.[0]?.s3?.object?.key ?? '';
          if (key.startsWith('incoming/')) notifications.push(JSON.stringify(event));
        },
      );
      // the local state machine needs the app, and the app needs the starter: tied after both exist
      const ref: { starter?: WorkflowStarter } = {};
      const lazyStarter: WorkflowStarter = {
        start: (input) => {
          if (ref.starter === undefined) throw new Error('workflow starter not ready');
          return ref.starter.start(input);
        },
      };
      t = await awsTestApp(
        { workflowStarter: lazyStarter, policy: POLICY },
        { s3Endpoint: s3.endpoint },
      );
      ref.starter = new LocalSfnWorkflowStarter(
        readAslDefinition(),
        taskMains(() => t.app),
        quietLogger,
        [1, 2, 4],
      );
    });

    afterAll(async () => {
      await t?.close();
      await s3?.stop();
      vi.restoreAllMocks();
    });

    it('computes the same KPIs in DynamoDB Local as the embedded run', async () => {
      const files = labFiles();
      // 1. upload: s3rver emits an S3 notification per object
      for (const f of files) {
        await t.clients.s3.send(
          new PutObjectCommand({ Bucket: t.bucket, Key: f.key, Body: readFileSync(f.path) }),
        );
      }
      expect(notifications).toHaveLength(files.length);
      // 2. SQS batches of 10 (the stack's batch size) into the ingest handler; the bus events
      //    are collected, as EventBridge would route them
      const published: RecordedEvent[] = [];
      t.bus.subscribe(async (e) => void published.push(e));
      const ingest = makeIngestHandler(() => t.app);
      for (let i = 0; i < notifications.length; i += 10) {
        const records = notifications
          .slice(i, i + 10)
          .map((body, j) => sqsRecord(body, `m-${i + j}`));
        const response = await ingest({ Records: records });
        expect(response.batchItemFailures).toEqual([]);
      }
      // 3. every GroupCompleted goes to the events handler, which runs the state machine locally
      const events = makeEventsHandler(() => t.app);
      const completed = published.filter((e) => e.type === 'GroupCompleted');
      for (const e of completed)
        await events({ 'detail-type': e.type, source: 'shop-pipeline', detail: e });
      // 4. the embedded run on the same files
      const embedded = inMemoryApp({ policy: POLICY });
      for (const f of files) {
        const [, dataset, name] = f.key.split('/') as [string, DatasetName, string];
        await embedded.deliver(name, readFileSync(f.path), dataset);
      }
      await embedded.processUntilIdle();
      const expected = await embedded.kpis();
      const actual = await t.container.get<KpiStore>(KPI_STORE).query();
      expect(actual).toEqual(expected);
      expect(completed.length).toBeGreaterThan(0);
      expect(actual.order.length).toBeGreaterThan(0);
      // each group went through the whole state machine, as recorded in DynamoDB Local
      const log = await t.container.get<EventStore>(EVENT_STORE).readAll(0);
      for (const group of completed) {
        const stream = log.filter((e) => e.streamId === group.streamId).map((e) => e.type);
        expect(stream).toEqual([
          'GroupCompleted',
          'Validated',
          'FactsReplaced',
          'Transformed',
          'Archived',
        ]);
      }
      // the whole lab-data set: minutes on a busy machine (the fast AWS-mode check with IAM
      // simulation and faults is aws-fidelity.test.ts); never a reason to fail
    }, 1_200_000);
  },
);
