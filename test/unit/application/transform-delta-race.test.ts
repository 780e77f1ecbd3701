// Issue 12, point 3: two transforms touching the same date at once must leave the KPI store and
// the Delta KPI tables equal. Here group A's transform is held just before it commits KPIs to
// Delta while group B's transform runs to the end: A's KPIs were computed before B's facts landed.
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { manifestKeyFor } from '../../../src/domain/group-manifest.codec.js';
import {
  ANALYTICS_TABLES,
  type AnalyticsCommit,
  type AnalyticsTables,
} from '../../../src/ports/analytics-tables.port.js';
import { KPI_STORE, type KpiStore } from '../../../src/ports/kpi-store.port.js';
import { OBJECT_STORE, type ObjectStore } from '../../../src/ports/object-store.port.js';
import { TASK_RUNNER, type TaskRunner } from '../../../src/ports/task-runner.port.js';

const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS_H =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';

/** Delta tables whose first KPI commit waits for `meanwhile` (the other transform) to finish. */
class HeldAnalytics implements AnalyticsTables {
  meanwhile: (() => Promise<void>) | null = null;
  constructor(readonly inner: DeltaAnalyticsTables) {}
  async commit(change: AnalyticsCommit): Promise<void> {
    const run = this.meanwhile;
    if (run !== null && change.kpis.order.length > 0) {
      this.meanwhile = null;
      await run();
    }
    return this.inner.commit(change);
  }
  readKpis(filter?: Parameters<AnalyticsTables['readKpis']>[0]) {
    return this.inner.readKpis(filter);
  }
}

describe('TransformGroup racing another transform of the same date', () => {
  it('ends with the KPI store and the Delta KPI tables equal (both count 2 orders)', async () => {
    const container = buildInMemoryContainer();
    const analytics = new HeldAnalytics(new DeltaAnalyticsTables(new InMemoryObjectStore()));
    container.bind(ANALYTICS_TABLES).toConstantValue(analytics);
    const objects = container.get<ObjectStore>(OBJECT_STORE);
    const land = container.get<LandFile>(TOKENS.LandFile);
    const runner = container.get<TaskRunner>(TASK_RUNNER);
    const groupOf = async (key: string, text: string): Promise<string> => {
      await objects.put(key, text);
      const landed = await land.execute(key);
      const id = isRight(landed) ? landed.right.groups[0]?.groupId : undefined;
      return id ?? '';
    };
    await groupOf(
      'incoming/products/p.csv',
      'id,sku,cost,category,name,brand,retail_price,department\np1,S,1.00,Toys,Ball,Acme,2.00,Kids',
    );
    await objects.put(
      'incoming/orders/o.csv',
      `${ORDERS_H}\n1,u1,delivered,2025-03-01T08:00:00,,,,1\n2,u2,returned,2025-03-01T09:00:00,,,,1`,
    );
    await land.execute('incoming/orders/o.csv');
    const a = await groupOf(
      'incoming/order_items/a.csv',
      `${ITEMS_H}\ni1,1,u1,p1,delivered,,,,,3.50`,
    );
    const b = await groupOf(
      'incoming/order_items/b.csv',
      `${ITEMS_H}\ni2,2,u2,p1,returned,,,,,10.00`,
    );
    expect(a).not.toBe('');
    expect(b).not.toBe('');
    const task = (groupId: string) => ({ groupId, manifestKey: manifestKeyFor(groupId) });
    await runner.run('validate', task(a));
    await runner.run('validate', task(b));

    analytics.meanwhile = async () => {
      await runner.run('transform', task(b));
    };
    await runner.run('transform', task(a));

    const store = await container.get<KpiStore>(KPI_STORE).query();
    expect(store.order.map((k) => k.total_orders)).toEqual([2]);
    expect(await analytics.readKpis()).toEqual(store);
  });
});
