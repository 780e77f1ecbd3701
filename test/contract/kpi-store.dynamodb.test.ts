// DynamoDbKpiStore on DynamoDB Local: replace-by-date semantics, exact numbers, and BatchWrite's
// UnprocessedItems (throttling) injected by a client middleware that holds back part of a batch.
import { DeleteTableCommand, GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { UnprocessedItemsError } from '../../src/adapters/dynamodb/dynamodb-batch.js';
import { DynamoDbKpiStore } from '../../src/adapters/dynamodb/dynamodb-kpi-store.js';
import { createTable } from '../../src/adapters/dynamodb/dynamodb-table-setup.js';
import { TABLES } from '../../src/adapters/dynamodb/dynamodb-tables.js';
import type { CategoryTotals, DayTotals, KpiTotals } from '../../src/domain/kpi/kpi.types.js';
import { localDynamoClient, uniqueName } from '../integration/aws-clients.js';
import { describeKpiStoreContract } from './kpi-store.contract.js';
import { probeBatchWrites } from './support/dynamodb-batch-faults.js';

const client = localDynamoClient();
afterAll(() => client.destroy());

const freshTables = async () => {
  const tables = { orderKpis: uniqueName('okpi'), categoryKpis: uniqueName('ckpi') };
  await Promise.all([
    createTable(client, TABLES.orderKpis, tables.orderKpis),
    createTable(client, TABLES.categoryKpis, tables.categoryKpis),
  ]);
  return tables;
};

const orderRow = (date: string, n: number): DayTotals => ({
  date,
  orders: 3 * n,
  revenueCents: BigInt(n) * 1001n,
  items: n * 2,
  returnedOrders: n,
  customers: n,
});
const categoryRow = (category: string, date: string, revenueCents: bigint): CategoryTotals => ({
  category,
  date,
  revenueCents,
  orders: 2,
  returnedOrders: 1,
});

/** Holds back half of each BatchWriteItem (as DynamoDB does when throttled) for `times` calls;
 *  returns the number of write requests of each call. */
const throttleBatchWrites = (dynamo: DynamoDBClient, times: number) =>
  probeBatchWrites(dynamo, (call) => (call < times ? 'holdBackHalf' : 'pass')).sizes;

describeKpiStoreContract('DynamoDbKpiStore (DynamoDB Local)', async () => {
  const tables = await freshTables();
  return {
    port: new DynamoDbKpiStore(client, tables),
    cleanup: async () => {
      for (const t of Object.values(tables))
        await client.send(new DeleteTableCommand({ TableName: t }));
    },
  };
});

describe('DynamoDbKpiStore (DynamoDB Local) batching', () => {
  it('replaces the KPIs of the given dates only, removing rows absent from the new set', async () => {
    const store = new DynamoDbKpiStore(client, await freshTables());
    await store.replaceDates(['2025-03-01', '2025-03-02'], {
      days: [orderRow('2025-03-01', 3), orderRow('2025-03-02', 4)],
      categories: [
        categoryRow('Jeans', '2025-03-01', 1050n),
        categoryRow('Tops', '2025-03-01', 2025n),
        categoryRow('Tops', '2025-03-02', 700n),
      ],
    });
    await store.replaceDates(['2025-03-01'], {
      days: [orderRow('2025-03-01', 5)],
      categories: [categoryRow('Tops', '2025-03-01', 9999n)],
    });
    expect(await store.queryTotals()).toEqual({
      days: [orderRow('2025-03-01', 5), orderRow('2025-03-02', 4)],
      categories: [
        categoryRow('Tops', '2025-03-01', 9999n),
        categoryRow('Tops', '2025-03-02', 700n),
      ],
    });
    expect(await store.queryTotals({ date: '2025-03-02' })).toEqual({
      days: [orderRow('2025-03-02', 4)],
      categories: [categoryRow('Tops', '2025-03-02', 700n)],
    });
    expect((await store.query({ category: 'Tops' })).category).toHaveLength(2);
    await store.replaceDates(['2025-03-02'], { days: [], categories: [] });
    expect(await store.queryTotals({ date: '2025-03-02' })).toEqual({ days: [], categories: [] });
  });

  it('writes money as exact decimal strings built from cents (what AWS readers of the table see)', async () => {
    const tables = await freshTables();
    const store = new DynamoDbKpiStore(client, tables);
    await store.replaceDates(['2025-03-05'], {
      days: [{ ...orderRow('2025-03-05', 1), revenueCents: 9223372036854775n }],
      categories: [categoryRow('Tops', '2025-03-05', 30n)],
    });
    const raw = await client.send(
      new GetItemCommand({ TableName: tables.orderKpis, Key: { order_date: { S: '2025-03-05' } } }),
    );
    expect(raw.Item?.['total_revenue']).toEqual({ N: '92233720368547.75' });
    const rawCategory = await client.send(
      new GetItemCommand({
        TableName: tables.categoryKpis,
        Key: { category: { S: 'Tops' }, order_date: { S: '2025-03-05' } },
      }),
    );
    expect(rawCategory.Item?.['daily_revenue']).toEqual({ N: '0.3' });
    expect(rawCategory.Item?.['avg_order_value']).toEqual({ N: '0.15' });
  });

  it('reads cents back exactly (up to 10^18 cents) and rates as k/n from the counts', async () => {
    const store = new DynamoDbKpiStore(client, await freshTables());
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc
          .integer({ min: 1, max: 10_000_000 })
          .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        async (cents, [k, n]) => {
          const row: DayTotals = {
            ...orderRow('2025-01-01', 1),
            revenueCents: cents,
            orders: n,
            returnedOrders: k,
          };
          await store.replaceDates(['2025-01-01'], { days: [row], categories: [] });
          expect((await store.queryTotals({ date: '2025-01-01' })).days).toEqual([row]);
          expect((await store.query({ date: '2025-01-01' })).order[0]?.return_rate).toBe(k / n);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('retries UnprocessedItems with bounded full-jitter backoff until every row lands', async () => {
    const throttled = localDynamoClient();
    const calls = throttleBatchWrites(throttled, 4);
    const delays: number[] = [];
    const store = new DynamoDbKpiStore(throttled, await freshTables(), {
      attempts: 6,
      baseMs: 10,
      capMs: 40,
      random: () => 0.999,
      sleep: async (ms) => void delays.push(ms),
    });
    const categories = Array.from({ length: 60 }, (_, i) =>
      categoryRow(`cat-${String(i).padStart(2, '0')}`, '2025-03-03', BigInt(i * 100 + 50)),
    );
    const kpis: KpiTotals = { days: [orderRow('2025-03-03', 60)], categories: categories };
    await store.replaceDates(['2025-03-03'], kpis);
    expect(await store.queryTotals()).toEqual(kpis);
    // chunks never exceed 25 requests, and retried chunks only carry what was held back
    expect(Math.max(...calls)).toBeLessThanOrEqual(25);
    // 1: the date item naming its categories; then the three chunks of category rows, sent
    // together (25, 25, 10), each with half held back; then only the held-back halves again
    const ascending = (xs: number[]) => [...xs].sort((a, b) => a - b);
    expect(calls[0]).toBe(1);
    expect(ascending(calls.slice(1, 4))).toEqual([10, 25, 25]);
    expect(ascending(calls.slice(4, 7))).toEqual([5, 12, 12]);
    // each held-back chunk waited one first backoff (random() near 1 gives the ceiling)
    expect(delays).toEqual([9, 9, 9]);
    throttled.destroy();
  });

  it('fails loudly, naming what did not land, when throttling outlasts the retries', async () => {
    const throttled = localDynamoClient();
    const calls = throttleBatchWrites(throttled, Number.POSITIVE_INFINITY);
    const delays: number[] = [];
    const store = new DynamoDbKpiStore(throttled, await freshTables(), {
      attempts: 3,
      baseMs: 10,
      capMs: 15,
      random: () => 0.999,
      sleep: async (ms) => void delays.push(ms),
    });
    const kpis: KpiTotals = {
      days: [orderRow('2025-03-04', 1)],
      categories: Array.from({ length: 8 }, (_, i) =>
        categoryRow(`c${i}`, '2025-03-04', BigInt(i)),
      ),
    };
    const failure = await store.replaceDates(['2025-03-04'], kpis).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UnprocessedItemsError);
    expect(failure).toMatchObject({ attempts: 3, unprocessed: 1 });
    // the date item, then one chunk of 8 category rows tried 3 times, each time half held back
    expect(calls).toEqual([1, 8, 4, 2]);
    // exponential, then capped: 10 x 2^0, min(15, 10 x 2^1), each jittered below the ceiling
    expect(delays).toEqual([9, 14]);
    throttled.destroy();
  });
});
