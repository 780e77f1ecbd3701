// A group written in date slices (TransformGroup's maxSliceFacts) ends exactly as one written in
// one piece: the same facts in the fact store and in Delta, the same KPIs in the KPI store and
// the Delta KPI tables. A transform killed between two slices' writes and retried ends the same
// (every slice's replace is idempotent; FactsReplaced holds the dates recorded before).
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import type { StagedRows } from '../../../src/application/staged-rows.js';
import { TransformGroup } from '../../../src/application/transform-group.use-case.js';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { manifestKeyFor } from '../../../src/domain/group-manifest.codec.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';
import {
  ANALYTICS_TABLES,
  type AnalyticsCommit,
  type AnalyticsTables,
} from '../../../src/ports/analytics-tables.port.js';
import { CLOCK, type Clock } from '../../../src/ports/clock.port.js';
import { EVENT_BUS, type EventBus } from '../../../src/ports/event-bus.port.js';
import { EVENT_STORE, type EventStore } from '../../../src/ports/event-store.port.js';
import { FACT_STORE, type FactStore } from '../../../src/ports/fact-store.port.js';
import { KPI_STORE, type KpiStore } from '../../../src/ports/kpi-store.port.js';
import { OBJECT_STORE, type ObjectStore } from '../../../src/ports/object-store.port.js';
import { TASK_RUNNER, type TaskRunner } from '../../../src/ports/task-runner.port.js';

const PRODUCTS =
  'id,sku,cost,category,name,brand,retail_price,department\np1,S,1.00,Toys,Ball,Acme,2.00,Kids\np2,T,1.00,,Cap,Acme,2.00,Kids';
const ORDERS = [
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item',
  '1,u1,delivered,2025-03-01T08:00:00,,,,2',
  '2,u2,returned,2025-03-01T23:59:59,,,,1',
  '3,u1,delivered,2025-03-02T00:00:00,,,,2',
  '4,u3,shipped,2025-03-03T12:00:00,,,,1',
].join('\n');
const ITEMS = [
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price',
  'i1,1,u1,p1,delivered,,,,,3.50',
  'i2,1,u1,p2,delivered,,,,,0.10',
  'i3,2,u2,p1,returned,,,,,10.00',
  'i4,3,u1,p1,delivered,,,,,0.20',
  'i5,3,u1,p2,delivered,,,,,7.00',
  'i6,4,u3,p1,shipped,,,,,1.25',
].join('\n');

/** a fact store whose `failAt`-th replaceOrders throws before writing (a transform killed) */
const failingOnce = (inner: FactStore, failAt: number, calls = { n: 0 }): FactStore =>
  new Proxy(inner, {
    get(target, name, receiver) {
      if (name !== 'replaceOrders') return Reflect.get(target, name, receiver) as unknown;
      return async (...args: Parameters<FactStore['replaceOrders']>) => {
        if (++calls.n === failAt) throw new Error('killed between two slices');
        return target.replaceOrders(...args);
      };
    },
  });

/** Delta tables that keep the transaction ids of the commits carrying facts */
class CountingAnalytics implements AnalyticsTables {
  transactions: string[] = [];
  constructor(readonly inner: DeltaAnalyticsTables) {}
  async commit(change: AnalyticsCommit): Promise<void> {
    if (change.facts.length > 0) this.transactions.push(change.transactionId);
    return this.inner.commit(change);
  }
  readKpis(filter?: Parameters<AnalyticsTables['readKpis']>[0]) {
    return this.inner.readKpis(filter);
  }
  readFacts() {
    return this.inner.readFacts();
  }
  reset() {
    return this.inner.reset();
  }
}

const byItem = (a: Fact, b: Fact) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0);

/** lands the shop; the transform writes slices of at most maxSliceFacts facts */
const run = async (maxSliceFacts: number | undefined, failAt = 0) => {
  const container = buildInMemoryContainer();
  const replaces = { n: 0 };
  const analytics = new CountingAnalytics(new DeltaAnalyticsTables(new InMemoryObjectStore()));
  container.bind(ANALYTICS_TABLES).toConstantValue(analytics);
  const transform = new TransformGroup(
    container.get<ObjectStore>(OBJECT_STORE),
    container.get<EventStore>(EVENT_STORE),
    container.get<EventBus>(EVENT_BUS),
    container.get<Clock>(CLOCK),
    failingOnce(container.get<FactStore>(FACT_STORE), failAt, replaces),
    container.get<KpiStore>(KPI_STORE),
    container.get<StagedRows>(TOKENS.StagedRows),
    analytics,
    maxSliceFacts,
  );
  const objects = container.get<ObjectStore>(OBJECT_STORE);
  const land = container.get<LandFile>(TOKENS.LandFile);
  let groupId = '';
  for (const [key, text] of [
    ['incoming/products/p.csv', PRODUCTS],
    ['incoming/orders/o.csv', ORDERS],
    ['incoming/order_items/i.csv', ITEMS],
  ] as const) {
    await objects.put(key, text);
    const landed = await land.execute(key);
    if (isRight(landed)) groupId = landed.right.groups[0]?.groupId ?? groupId;
  }
  const task = { groupId, manifestKey: manifestKeyFor(groupId) };
  await container.get<TaskRunner>(TASK_RUNNER).run('validate', task);
  let failed = false;
  try {
    await transform.execute(task);
  } catch {
    failed = true;
    await transform.execute(task);
  }
  const facts = container.get<FactStore>(FACT_STORE);
  const dates = ['2025-03-01', '2025-03-02', '2025-03-03'];
  return {
    failed,
    transactions: analytics.transactions,
    replaces: replaces.n,
    stored: (await facts.forDates(dates)).sort(byItem),
    delta: (await analytics.readFacts()).sort(byItem),
    kpis: await container.get<KpiStore>(KPI_STORE).query(),
    deltaKpis: await analytics.readKpis(),
  };
};

describe('TransformGroup writing a group in date slices', () => {
  it('ends with the facts and KPIs of the group written in one piece', async () => {
    const whole = await run(undefined);
    const sliced = await run(1);
    expect(whole.replaces).toBe(1);
    // one slice per date (a date is never split, even above the slice size)
    expect(sliced.replaces).toBe(3);
    // the Delta facts stay one commit per group
    expect(sliced.transactions).toEqual(whole.transactions);
    expect(whole.stored).toHaveLength(6);
    expect(sliced.stored).toEqual(whole.stored);
    expect(sliced.delta).toEqual(whole.delta);
    expect(whole.delta).toEqual(whole.stored);
    expect(sliced.kpis).toEqual(whole.kpis);
    expect(sliced.deltaKpis).toEqual(whole.kpis);
    expect(whole.kpis.order.map((k) => k.total_orders)).toEqual([2, 1, 1]);
  });

  it('a retry after a kill between two slices ends the same', async () => {
    const whole = await run(undefined);
    const killed = await run(1, 2);
    expect(killed.failed).toBe(true);
    // the first slice was written before the kill; the retry writes all three again
    expect(killed.replaces).toBe(5);
    expect(killed.stored).toEqual(whole.stored);
    expect(killed.delta).toEqual(whole.delta);
    expect(killed.kpis).toEqual(whole.kpis);
    expect(killed.deltaKpis).toEqual(whole.kpis);
  });
});
