// The ingest Lambda handler over the AWS adapters on s3rver + DynamoDB Local: S3 notifications
// arrive in SQS batches; each message succeeds or fails on its own.
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleShop } from '../../src/domain/sample/sample-shop.js';
import { EVENT_STORE, type EventStore } from '../../src/ports/event-store.port.js';
import { makeIngestHandler } from '../../src/entrypoints/lambda/ingest.handler.js';
import { awsTestApp, type AwsTestApp } from './aws-test-app.js';
import { captureOutput, sqsRecord } from './lambda-harness.js';

const csv = (lines: Iterable<string>): string => [...lines].join('\n') + '\n';

/** S3 URL-encodes keys in notifications, with '+' for a space. */
const s3Encode = (key: string): string =>
  encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');

let n = 0;
const sqsMessage = (body: string): SQSRecord => sqsRecord(body, `m-${++n}`);

const notification = (bucket: string, key: string): SQSRecord =>
  sqsMessage(
    JSON.stringify({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: bucket }, object: { key: s3Encode(key), size: 1 } },
        },
      ],
    }),
  );

const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

describe('ingest handler (s3rver + DynamoDB Local)', () => {
  let t: AwsTestApp;
  let handler: ReturnType<typeof makeIngestHandler>;
  const shop = sampleShop({ orders: 4, seed: 7, products: 5 });
  const put = (key: string, body: string) =>
    t.clients.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: key, Body: body }));
  const landedEvents = async () =>
    (await t.container.get<EventStore>(EVENT_STORE).readAll(0)).filter(
      (e) => e.type === 'FileLanded',
    );

  beforeAll(async () => {
    t = await awsTestApp();
    handler = makeIngestHandler(() => t.app);
  });
  afterAll(async () => t.close());

  const output = captureOutput();
  const jsonLines = (): Record<string, unknown>[] =>
    output
      .lines()
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('lands files named by URL-encoded keys, skips the test event, and fails only the unreadable message', async () => {
    await put('incoming/products/all products.csv', csv(shop.products));
    await put('incoming/orders/orders (1).csv', csv(shop.orders));
    const poison = sqsMessage('this is not JSON');
    const missing = notification(t.bucket, 'incoming/orders/never uploaded.csv');
    const response = await handler(
      batch(
        sqsMessage(
          JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: t.bucket }),
        ),
        notification(t.bucket, 'incoming/products/all products.csv'),
        poison,
        notification(t.bucket, 'incoming/orders/orders (1).csv'),
        missing,
      ),
    );
    // a key that never existed can never land: handled (logged, counted), not retried
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([poison.messageId]);
    expect(
      (await landedEvents()).map((e) => (e.type === 'FileLanded' ? e.data.fileKey : '')).sort(),
    ).toEqual(['incoming/orders/orders (1).csv', 'incoming/products/all products.csv']);
    // structured logs carry the file key; EMF metrics count files and rows
    const lines = jsonLines();
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'file processed',
        fileKey: 'incoming/orders/orders (1).csv',
        rows: 4,
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        fileKey: 'incoming/orders/never uploaded.csv',
        reason: 'deleted before it could land',
      }),
    );
    expect(lines.find((l) => '_aws' in l)).toMatchObject({
      service: 'shop-pipeline',
      Files: [1, 1],
      Rows: [5, 4],
    });
  });

  it('records poison keys (folder marker, "//" key, deleted object) as handled, not failures', async () => {
    await put('incoming/orders/', '');
    await put('incoming/orders/gone.csv', csv(shop.orders));
    await t.clients.s3.send(
      new DeleteObjectCommand({ Bucket: t.bucket, Key: 'incoming/orders/gone.csv' }),
    );
    const keys = ['incoming/orders/', 'incoming//orders.csv', 'incoming/orders/gone.csv'];
    for (const key of keys) {
      const response = await handler(batch(notification(t.bucket, key)));
      expect({ key, failures: response.batchItemFailures }).toEqual({ key, failures: [] });
    }
    const skipped = jsonLines().filter((l) => l.message === 'file skipped: it can never land');
    expect(skipped.map((l) => [l.fileKey, l.reason])).toEqual([
      ['incoming/orders/', 'a folder marker, not a file'],
      ['incoming//orders.csv', expect.stringContaining('empty')],
      ['incoming/orders/gone.csv', 'deleted before it could land'],
    ]);
    expect(jsonLines().filter((l) => '_aws' in l && 'FilesSkipped' in l)).toHaveLength(3);
  });

  it('a duplicate notification, later or in the same batch, lands the file once', async () => {
    await put('incoming/order_items/items.csv', csv(shop.orderItems));
    const first = await handler(batch(notification(t.bucket, 'incoming/order_items/items.csv')));
    expect(first.batchItemFailures).toEqual([]);
    await handler(
      batch(
        notification(t.bucket, 'incoming/order_items/items.csv'),
        notification(t.bucket, 'incoming/order_items/items.csv'),
      ),
    );
    const landed = (await landedEvents()).filter(
      (e) => e.type === 'FileLanded' && e.data.fileKey === 'incoming/order_items/items.csv',
    );
    expect(landed).toHaveLength(1);
    // the items completed every order: one GroupCompleted, published on the bus
    const log = await t.container.get<EventStore>(EVENT_STORE).readAll(0);
    expect(log.filter((e) => e.type === 'GroupCompleted')).toHaveLength(1);
  });

  it('a rejected file is a handled outcome, not a batch failure (data errors are not retried)', async () => {
    await put('incoming/orders/bad.csv', 'order_id,user_id\n1,2\n');
    const response = await handler(batch(notification(t.bucket, 'incoming/orders/bad.csv')));
    expect(response.batchItemFailures).toEqual([]);
    const log = await t.container.get<EventStore>(EVENT_STORE).readAll(0);
    expect(
      log
        .filter((e) => e.type === 'FileRejected')
        .map((e) => e.type === 'FileRejected' && e.data.fileKey),
    ).toEqual(['incoming/orders/bad.csv']);
  });
});
