// Issue 12 point 7: a crash at every side effect, by design. A small scenario (landing, group
// completion, validate, transform with a date-moving correction, Delta commit, archive) is run
// once without faults to count its side effects; then for every N and both cut points (before
// the Nth side effect, or after it but before its caller hears) it runs with that fault, a new
// process runs the same scenario again to the end, and the KPIs, the event log and the Delta
// tables must equal the fault-free run.
import { describe, expect, it } from 'vitest';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { readWholeLog } from '../../../src/application/projections.js';
import type { PipelineApp } from '../../../src/entrypoints/composition/pipeline-app.js';
import {
  FaultPlan,
  freshStores,
  processOver,
  type FaultMode,
  type Stores,
} from './fault-injection.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS_H =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
const PRODUCTS_H = 'id,sku,cost,category,name,brand,retail_price,department';

type Step =
  | { readonly deliver: string; readonly text: string; readonly dataset: string }
  | { readonly process: true };
const SCENARIO: readonly Step[] = [
  {
    deliver: 'items.csv',
    dataset: 'order_items',
    text: `${ITEMS_H}\ni1,1,u1,p1,delivered,,,,,10.00\ni2,1,u1,p2,delivered,,,,,4.50\ni3,2,u2,p1,delivered,,,,,10.00\n`,
  },
  {
    deliver: 'products.csv',
    dataset: 'products',
    text: `${PRODUCTS_H}\np1,S1,5.00,Beauty,Cream,Acme,10.00,Care\np2,S2,2.00,Toys,Ball,Wonka,4.50,Kids\n`,
  },
  {
    deliver: 'orders.csv',
    dataset: 'orders',
    text: `${ORDERS_H}\n1,u1,delivered,2025-03-01T10:00:00,,,,2\n2,u2,delivered,2025-03-02T11:00:00,,,,1\n`,
  },
  { process: true },
  // order 1 corrected: moved to another day and returned (its old date must be recomputed)
  {
    deliver: 'orders-fix.csv',
    dataset: 'orders',
    text: `${ORDERS_H}\n1,u1,returned,2025-03-03T10:00:00,,,,2\n`,
  },
  { process: true },
];

const runScenario = async (app: PipelineApp): Promise<void> => {
  for (const step of SCENARIO) {
    if ('process' in step) await app.processUntilIdle();
    else await app.deliver(step.deliver, enc(step.text), step.dataset as 'orders');
  }
};

/** what must not depend on where a crash hit */
const outcome = async (stores: Stores) => {
  const log = await readWholeLog((after, limit) => stores.events.readAll(after, limit));
  const delta = new DeltaAnalyticsTables(stores.objects);
  return {
    kpis: await stores.kpis.query(),
    deltaKpis: await delta.readKpis(),
    deltaFacts: (await delta.readFacts()).sort((a, b) => a.itemId.localeCompare(b.itemId)),
    log: log.map((e) => `${e.streamId}#${e.version} ${e.type} ${JSON.stringify(e.data)}`).sort(),
  };
};

/** every stream's versions are 1..n with no gap or repeat; positions are unique */
const assertContiguous = async (stores: Stores): Promise<void> => {
  const log = await readWholeLog((after, limit) => stores.events.readAll(after, limit));
  const versions = new Map<string, number[]>();
  for (const e of log) versions.set(e.streamId, [...(versions.get(e.streamId) ?? []), e.version]);
  for (const [stream, v] of versions)
    expect(v, stream).toEqual(Array.from({ length: v.length }, (_, i) => i + 1));
  expect(new Set(log.map((e) => e.position)).size).toBe(log.length);
};

const crashThenFinish = async (at: number, mode: FaultMode) => {
  const stores = freshStores();
  const plan = new FaultPlan(at, mode);
  // the crashed process: whatever the fault interrupted is abandoned
  await runScenario(processOver(stores, plan)).catch(() => undefined);
  // a new process runs the same scenario to the end (landed files are duplicates by then)
  const next = processOver(stores, new FaultPlan());
  await runScenario(next);
  await next.retry();
  return { stores, tripped: plan.tripped };
};

describe('a crash at every side effect, then a run to the end', () => {
  it('ends with the KPIs, event log and Delta tables of a fault-free run', async () => {
    const clean = freshStores();
    const counting = new FaultPlan();
    await runScenario(processOver(clean, counting));
    const expected = await outcome(clean);
    await assertContiguous(clean);
    // the scenario does reach every kind of side effect
    const kinds = new Set(counting.calls);
    for (const k of [
      'index.register',
      'facts.replaceOrders',
      'kpis.replaceDates',
      'analytics.commit',
      'objects.copy',
      'objects.delete',
      'workflow.start',
      'events.append',
    ])
      expect(kinds, k).toContain(k);
    expect(expected.kpis.order.map((k) => k.order_date)).toEqual(['2025-03-02', '2025-03-03']);

    const total = counting.calls.length;
    const failures: string[] = [];
    for (let n = 1; n <= total; n++) {
      for (const mode of ['before', 'after'] as const) {
        const { stores, tripped } = await crashThenFinish(n, mode);
        expect(tripped, `fault ${n} ${mode} never fired`).not.toBeNull();
        const got = await outcome(stores);
        await assertContiguous(stores);
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          failures.push(
            `${tripped}: ${Object.keys(got)
              .filter(
                (k) =>
                  JSON.stringify(got[k as keyof typeof got]) !==
                  JSON.stringify(expected[k as keyof typeof expected]),
              )
              .join(', ')} differ`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
