// The ingest Lambda's size routing and failure isolation over the AWS adapters on s3rver and
// DynamoDB Local. A notification whose object is at or above INGEST_TASK_MIN_BYTES (the S3
// event's size; the file is never opened) starts the ingest state machine, which runs the ECS
// ingest task; a smaller one lands in the Lambda. The StartExecution calls are recorded by a
// middleware on the real SFN client, which answers them in place of Step Functions.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleShop } from '../../src/domain/sample/sample-shop.js';
import { ingestExecutionNameFor } from '../../src/adapters/sfn/sfn-ingest-task-starter.js';
import { awsAppOf, type AwsApp } from '../../src/entrypoints/composition/aws.container.js';
import { makeIngestHandler } from '../../src/entrypoints/lambda/ingest.handler.js';
import { EVENT_STORE, type EventStore } from '../../src/ports/event-store.port.js';
import { awsTestApp, type AwsTestApp } from './aws-test-app.js';
import { captureOutput, sqsRecord } from './lambda-harness.js';

const INGEST_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:ingest';
const csv = (lines: Iterable<string>): string => [...lines].join('\n') + '\n';

let n = 0;
const notification = (key: string, size: number, sequencer = '0055AED6DCD90281E5'): SQSRecord =>
  sqsRecord(
    JSON.stringify({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: 'b' }, object: { key, size, sequencer } },
        },
      ],
    }),
    `route-${++n}`,
  );
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

describe('ingest handler: big files to the ECS ingest task, one failure per record', () => {
  let t: AwsTestApp;
  let app: AwsApp;
  const started: { name?: string; stateMachineArn?: string; input?: string }[] = [];
  const shop = sampleShop({ orders: 4, seed: 11, products: 5 });
  const put = (key: string, body: string) =>
    t.clients.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: key, Body: body }));
  const landedKeys = async () =>
    (await t.container.get<EventStore>(EVENT_STORE).readAll(0))
      .flatMap((e) => (e.type === 'FileLanded' ? [e.data.fileKey] : []))
      .sort();

  beforeAll(async () => {
    t = await awsTestApp();
    t.clients.sfn.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'StartExecutionCommand') return next(args);
        started.push(args.input as (typeof started)[number]);
        return {
          output: { executionArn: 'arn:x', startDate: new Date(), $metadata: {} },
          response: {},
        };
      },
      { step: 'initialize', name: 'recordStartExecution' },
    );
    app = awsAppOf(t.container, t.clients.sfn, undefined, INGEST_MACHINE);
  });
  afterAll(async () => t.close());
  const output = captureOutput();

  it('hands a file at or above the limit to the ingest task, unopened, and lands a smaller one', async () => {
    const handler = makeIngestHandler(() => app, { taskMinBytes: 1000 });
    await put('incoming/products/p.csv', csv(shop.products));
    // the big file is never put in the bucket: the route must not open it
    const big = notification('incoming/order_items/big+items.csv', 1000, '0062E5A1');
    const small = notification('incoming/products/p.csv', 999);
    const response = await handler(batch(big, small));
    expect(response.batchItemFailures).toEqual([]);
    expect(started).toEqual([
      {
        stateMachineArn: INGEST_MACHINE,
        name: ingestExecutionNameFor({
          key: 'incoming/order_items/big items.csv',
          size: 1000,
          sequencer: '0062E5A1',
        }),
        input: JSON.stringify({ fileKey: 'incoming/order_items/big items.csv', size: 1000 }),
      },
    ]);
    expect(started[0]?.name?.length).toBeLessThanOrEqual(80);
    expect(await landedKeys()).toEqual(['incoming/products/p.csv']);
    expect(output.lines().join('\n')).toContain('file handed to the ECS ingest task');
  });

  it('names one execution per upload: a redelivery reuses it, a new upload gets another', () => {
    const file = { key: 'incoming/order_items/x.csv', size: 5, sequencer: 'A1' };
    expect(ingestExecutionNameFor(file)).toBe(ingestExecutionNameFor({ ...file }));
    expect(ingestExecutionNameFor({ ...file, sequencer: 'A2' })).not.toBe(
      ingestExecutionNameFor(file),
    );
    expect(ingestExecutionNameFor({ ...file, key: `incoming/${'x'.repeat(300)}.csv` }).length).toBe(
      72,
    );
  });

  it('without a limit every file lands in the Lambda, whatever its size', async () => {
    const handler = makeIngestHandler(() => app, { taskMinBytes: null });
    await put('incoming/orders/o.csv', csv(shop.orders));
    const before = started.length;
    const response = await handler(batch(notification('incoming/orders/o.csv', 10 ** 12)));
    expect(response.batchItemFailures).toEqual([]);
    expect(started.length).toBe(before);
    expect(await landedKeys()).toContain('incoming/orders/o.csv');
  });

  it('reports only the record whose landing failed; the files beside it land', async () => {
    const [header, ...rows] = [...shop.orderItems];
    await put('incoming/order_items/a.csv', csv([header!, ...rows.slice(0, 2)]));
    await put('incoming/order_items/boom.csv', csv([header!, ...rows]));
    await put('incoming/order_items/c.csv', csv([header!, ...rows.slice(2)]));
    // the middle file dies as a file too big for its memory would, inside LandFile's reads
    const failing: AwsApp = {
      ...app,
      landFile: async (key) => {
        if (key.endsWith('boom.csv')) throw new RangeError('Array buffer allocation failed');
        return app.landFile(key);
      },
    };
    const handler = makeIngestHandler(() => failing, { taskMinBytes: null });
    const records = ['a', 'boom', 'c'].map((f) => notification(`incoming/order_items/${f}.csv`, 9));
    const response = await handler(batch(...records));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]!.messageId }]);
    expect(await landedKeys()).toEqual(
      expect.arrayContaining(['incoming/order_items/a.csv', 'incoming/order_items/c.csv']),
    );
    expect(await landedKeys()).not.toContain('incoming/order_items/boom.csv');
  });
});
