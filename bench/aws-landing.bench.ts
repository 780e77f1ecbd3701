// `npx tsx bench/aws-landing.bench.ts [--orders N]`: lands a slice of the cached bench shop
// (products, the first N orders, and those orders' items) through the AWS composition root, on
// DynamoDB Local and s3rver, one file after another as the ingest Lambda would, and prints per
// file: rows, wall seconds, this process's CPU seconds, and its peak RSS. DynamoDB Local runs in
// its own (Java) process, so the CPU figure is the landing's own work plus s3rver serving the
// file; the wall time is DynamoDB Local's speed, not DynamoDB's. docs/scaling.md sizes the
// ingest Lambda and the ECS ingest task from these figures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { InMemoryEventBus } from '../src/adapters/in-memory/in-memory-event-bus.js';
import { createTables } from '../src/adapters/dynamodb/dynamodb-table-setup.js';
import { createS3Client } from '../src/adapters/s3/s3-client.js';
import { awsAppOf, buildAwsContainer } from '../src/entrypoints/composition/aws.container.js';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startDynamoLocal,
  startS3rver,
} from '../test/integration/local-servers.js';

const args = process.argv.slice(2);
const orders = Number(args[args.indexOf('--orders') + 1] ?? 20_000) || 20_000;
const dir = join(import.meta.dirname, '..', '.bench', 'items-250000');
const lines = (file: string) => readFileSync(join(dir, file), 'utf8').trimEnd().split('\n');

const [orderHeader, ...orderRows] = lines('orders.csv');
const chosen = orderRows.slice(0, orders);
const ids = new Set(chosen.map((l) => l.slice(0, l.indexOf(','))));
const [itemHeader, ...itemRows] = lines('order_items.csv');
const items = itemRows.filter((l) => ids.has(l.split(',', 2)[1] ?? ''));
const files: [string, string][] = [
  ['incoming/products/products.csv', readFileSync(join(dir, 'products.csv'), 'utf8')],
  ['incoming/orders/orders.csv', [orderHeader, ...chosen].join('\n') + '\n'],
  ['incoming/order_items/order_items.csv', [itemHeader, ...items].join('\n') + '\n'],
];

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const dynamo = await startDynamoLocal();
const s3 = await startS3rver(['bench']);
const stub = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
const clients = {
  s3: createS3Client({ ...stub, endpoint: s3.endpoint }),
  dynamo: new DynamoDBClient({ ...stub, endpoint: dynamo.endpoint }),
  eventBridge: new EventBridgeClient({ ...stub, endpoint: 'http://127.0.0.1:9' }),
  sfn: new SFNClient({ ...stub, endpoint: 'http://127.0.0.1:9' }),
};
try {
  await clients.s3.send(new CreateBucketCommand({ Bucket: 'landing' })).catch(() => undefined);
  const tables = await createTables(clients.dynamo, 'bench');
  const container = buildAwsContainer(
    { bucket: 'landing', tables, eventBusName: 'unused' },
    clients,
    { eventBus: new InMemoryEventBus(), logger: quiet },
  );
  const app = awsAppOf(container, clients.sfn);
  for (const [key, body] of files) {
    await clients.s3.send(new PutObjectCommand({ Bucket: 'landing', Key: key, Body: body }));
    const cpu = process.cpuUsage();
    const t = performance.now();
    const outcome = await app.landFile(key);
    const used = process.cpuUsage(cpu);
    console.log(
      JSON.stringify({
        key,
        mb: +(Buffer.byteLength(body) / 1e6).toFixed(2),
        rows: outcome.rows,
        status: outcome.status,
        groups: outcome.groups,
        wall_s: +((performance.now() - t) / 1000).toFixed(2),
        cpu_s: +((used.user + used.system) / 1e6).toFixed(2),
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      }),
    );
  }
} finally {
  for (const c of Object.values(clients)) c.destroy();
  await s3.stop();
  await dynamo.stop();
}
