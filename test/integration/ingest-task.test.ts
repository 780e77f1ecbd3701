// The ECS ingest task's entrypoint over the AWS adapters on s3rver and DynamoDB Local: given
// FILE_KEY it lands the file through the same composition root and LandFile use case as the
// ingest Lambda, and leaves the same event log as the Lambda landing the same files.
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleShop } from '../../src/domain/sample/sample-shop.js';
import { runIngestTask } from '../../src/entrypoints/ecs/ingest-task.js';
import { makeIngestHandler } from '../../src/entrypoints/lambda/ingest.handler.js';
import { EVENT_STORE, type EventStore } from '../../src/ports/event-store.port.js';
import { awsTestApp, type AwsTestApp } from './aws-test-app.js';
import { captureOutput, sqsRecord } from './lambda-harness.js';

const csv = (lines: Iterable<string>): string => [...lines].join('\n') + '\n';
const shop = sampleShop({ orders: 6, seed: 23, products: 5 });
const FILES: [string, string][] = [
  ['incoming/products/p.csv', csv(shop.products)],
  ['incoming/orders/o.csv', csv(shop.orders)],
  ['incoming/order_items/i.csv', csv(shop.orderItems)],
];

const notification = (key: string, i: number): SQSRecord =>
  sqsRecord(
    JSON.stringify({
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: 'b' }, object: { key, size: 10 } },
        },
      ],
    }),
    `m-${i}`,
  );

describe('ECS ingest task entrypoint (s3rver + DynamoDB Local)', () => {
  let viaTask: AwsTestApp;
  let viaLambda: AwsTestApp;
  const putAll = async (t: AwsTestApp) => {
    for (const [key, body] of FILES)
      await t.clients.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: key, Body: body }));
  };
  const log = async (t: AwsTestApp) =>
    (await t.container.get<EventStore>(EVENT_STORE).readAll(0)).map((e) => ({
      type: e.type,
      data: e.data,
    }));

  beforeAll(async () => {
    [viaTask, viaLambda] = await Promise.all([awsTestApp(), awsTestApp()]);
    await Promise.all([putAll(viaTask), putAll(viaLambda)]);
  });
  afterAll(async () => Promise.all([viaTask.close(), viaLambda.close()]));
  const output = captureOutput();

  it('lands each file named by FILE_KEY (exit 0) and leaves the log the Lambda leaves', async () => {
    for (const [key] of FILES) {
      expect(await runIngestTask({ FILE_KEY: key }, () => viaTask.app)).toBe(0);
    }
    const handler = makeIngestHandler(() => viaLambda.app, { taskMinBytes: null });
    const response = await handler({ Records: FILES.map(([key], i) => notification(key, i)) });
    expect(response.batchItemFailures).toEqual([]);
    const fromTask = await log(viaTask);
    expect(fromTask.map((e) => e.type)).toEqual(
      expect.arrayContaining(['FileLanded', 'GroupCompleted']),
    );
    expect(fromTask.filter((e) => e.type === 'FileLanded')).toHaveLength(3);
    expect(fromTask).toEqual(await log(viaLambda));
    expect(output.lines().join('\n')).toContain('"fileKey":"incoming/order_items/i.csv"');
  });

  it('running again for a landed file is a duplicate, not a second landing (exit 0)', async () => {
    const before = await log(viaTask);
    expect(await runIngestTask({ FILE_KEY: 'incoming/orders/o.csv' }, () => viaTask.app)).toBe(0);
    expect(await log(viaTask)).toEqual(before);
  });

  it('exits 0 for a file that can never land, 1 without FILE_KEY or when landing fails', async () => {
    await viaTask.clients.s3.send(
      new PutObjectCommand({ Bucket: viaTask.bucket, Key: 'incoming/orders/gone.csv', Body: 'x' }),
    );
    await viaTask.clients.s3.send(
      new DeleteObjectCommand({ Bucket: viaTask.bucket, Key: 'incoming/orders/gone.csv' }),
    );
    expect(await runIngestTask({ FILE_KEY: 'incoming/orders/gone.csv' }, () => viaTask.app)).toBe(
      0,
    );
    expect(output.lines().join('\n')).toContain('deleted before it could land');
    expect(await runIngestTask({}, () => viaTask.app)).toBe(1);
    const broken = {
      ...viaTask.app,
      landFile: async () => {
        throw new Error('the table is gone');
      },
    };
    expect(await runIngestTask({ FILE_KEY: 'incoming/orders/o.csv' }, () => broken)).toBe(1);
    expect(output.lines().join('\n')).toContain('the table is gone');
  });
});
