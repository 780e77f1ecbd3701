// The fact and KPI stores' bulk writes on DynamoDB Local: many BatchWriteItem requests in flight
// at once (the most seen is recorded), and throttling, both as UnprocessedItems and as refused
// requests, retried until every row has landed.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { IN_FLIGHT } from '../../src/adapters/dynamodb/dynamodb-batch.js';
import { DynamoDbFactStore } from '../../src/adapters/dynamodb/dynamodb-fact-store.js';
import { DynamoDbKpiStore } from '../../src/adapters/dynamodb/dynamodb-kpi-store.js';
import { createTable } from '../../src/adapters/dynamodb/dynamodb-table-setup.js';
import { TABLES } from '../../src/adapters/dynamodb/dynamodb-tables.js';
import { InMemoryFactStore } from '../../src/adapters/in-memory/in-memory-fact-store.js';
import { utcDate } from '../../src/domain/dates.js';
import { factColumnsOf } from '../../src/domain/kpi/fact-columns.js';
import type { Fact } from '../../src/domain/kpi/kpi.types.js';
import { localDynamoClient, uniqueName } from '../integration/aws-clients.js';
import { probeBatchWrites, type Fault } from './support/dynamodb-batch-faults.js';

const admin = localDynamoClient();
const tables: string[] = [];
afterAll(async () => {
  for (const t of tables) await admin.send(new DeleteTableCommand({ TableName: t }));
  admin.destroy();
});
const table = async (spec: (typeof TABLES)[keyof typeof TABLES], prefix: string) => {
  const name = uniqueName(prefix);
  await createTable(admin, spec, name);
  tables.push(name);
  return name;
};

const DAY = 86_400_000;
const START = Date.UTC(2025, 4, 1);
/** 400 orders of 3 items over 8 days: 1,200 facts, plus ~800 contribution and marker rows */
const facts: Fact[] = Array.from({ length: 1200 }, (_, i) => {
  const order = Math.floor(i / 3);
  return {
    itemId: `i${i}`,
    orderId: `o${order}`,
    userId: `u${order % 37}`,
    orderStatus: order % 5 === 0 ? 'returned' : 'complete',
    orderCreatedAt: START + (order % 8) * DAY + order * 1000,
    productId: `p${i % 50}`,
    category: i % 7 === 0 ? null : `cat-${i % 4}`,
    salePriceCents: 100 + ((i * 7919) % 50_000),
  };
});
const orders = [...new Set(facts.map((f) => f.orderId))];
const dates = [...new Set(facts.map((f) => utcDate(f.orderCreatedAt)))].sort();

/** every fourth request holds back half its items, every seventh is refused once */
const flaky = (call: number): Fault =>
  call % 7 === 3 ? 'throttle' : call % 4 === 1 ? 'holdBackHalf' : 'pass';

describe('DynamoDB bulk writes (DynamoDB Local)', () => {
  const expected = async () => {
    const reference = new InMemoryFactStore();
    await reference.replaceOrders(orders, factColumnsOf(facts));
    return reference;
  };

  it('the fact store sends its batches concurrently, at most IN_FLIGHT at once, and every fact lands', async () => {
    const client = localDynamoClient();
    const probe = probeBatchWrites(client);
    const store = new DynamoDbFactStore(client, await table(TABLES.facts, 'facts'));
    const touched = await store.replaceOrders(orders, factColumnsOf(facts));
    console.info(`fact store: ${probe.calls} BatchWriteItem, max ${probe.maxInFlight} in flight`);
    // one request after another would never show more than 1
    expect(probe.maxInFlight).toBeGreaterThan(1);
    expect(probe.maxInFlight).toBeLessThanOrEqual(IN_FLIGHT);
    expect(touched.sort()).toEqual(dates);
    const reference = await expected();
    expect(await store.count()).toBe(facts.length);
    expect(await store.forDates(dates)).toEqual(await reference.forDates(dates));
    expect(await store.kpiTotals(dates)).toEqual(await reference.kpiTotals(dates));
    client.destroy();
  });

  it('the fact store retries UnprocessedItems and throttled requests until every fact lands', async () => {
    const client = localDynamoClient();
    const probe = probeBatchWrites(client, flaky);
    const store = new DynamoDbFactStore(client, await table(TABLES.facts, 'facts'));
    await store.replaceOrders(orders, factColumnsOf(facts));
    // replacing again moves every order to new items: deletes and puts under throttling too
    const moved = facts.map((f) => ({ ...f, itemId: `${f.itemId}b` }));
    await store.replaceOrders(orders, factColumnsOf(moved));
    console.info(`fact store, throttled: ${probe.faults} of ${probe.calls} requests faulted`);
    expect(probe.faults).toBeGreaterThan(20);
    const reference = new InMemoryFactStore();
    await reference.replaceOrders(orders, factColumnsOf(moved));
    expect(await store.count()).toBe(moved.length);
    expect(await store.forDates(dates)).toEqual(await reference.forDates(dates));
    expect(await store.kpiTotals(dates)).toEqual(await reference.kpiTotals(dates));
    client.destroy();
  });

  it('the KPI store writes concurrently under throttling and every row lands', async () => {
    const client = localDynamoClient();
    const probe = probeBatchWrites(client, flaky);
    const kpiTables = {
      orderKpis: await table(TABLES.orderKpis, 'okpi'),
      categoryKpis: await table(TABLES.categoryKpis, 'ckpi'),
    };
    const store = new DynamoDbKpiStore(client, kpiTables);
    // 120 dates x 10 categories: 1,200 category rows and 120 date items in three steps
    const days = Array.from({ length: 120 }, (_, d) => utcDate(START + d * DAY));
    const totals = {
      days: days.map((date, d) => ({
        date,
        orders: 10 + d,
        items: 30 + d,
        revenueCents: BigInt(d) * 12_345n + 1n,
        returnedOrders: d % 10,
        customers: 5 + d,
      })),
      categories: days.flatMap((date, d) =>
        Array.from({ length: 10 }, (_, c) => ({
          category: `cat-${String(c).padStart(2, '0')}`,
          date,
          revenueCents: BigInt(d * 10 + c) * 101n,
          orders: 1 + c,
          returnedOrders: c % 2,
        })),
      ),
    };
    await store.replaceDates(days, totals);
    console.info(
      `KPI store: ${probe.calls} BatchWriteItem (${probe.faults} faulted), max ${probe.maxInFlight} in flight`,
    );
    expect(probe.maxInFlight).toBeGreaterThan(1);
    expect(probe.maxInFlight).toBeLessThanOrEqual(IN_FLIGHT);
    expect(probe.faults).toBeGreaterThan(10);
    expect(await new DynamoDbKpiStore(admin, kpiTables).queryTotals()).toEqual(totals);
    client.destroy();
  });
});
