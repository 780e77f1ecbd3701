// DeltaAnalyticsTables over the in-memory object store: round trip, idempotency, time travel,
// merge semantics (each item exactly once) and racing writers.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSystemObjectStore } from '../../../src/adapters/filesystem/filesystem-object-store.js';
import type { ObjectStore } from '../../../src/ports/object-store.port.js';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { DeltaConcurrentModification } from '../../../src/adapters/delta/delta-table.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import { computeKpis } from '../../../src/domain/kpi/compute-kpis.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';
import {
  byItem,
  commitOf,
  dateOf,
  order,
  racingStores,
  snapshotOfStore,
} from './delta-test-support.js';
import { NO_FACT_COLUMNS } from '../../../src/domain/kpi/fact-columns.js';

const replaceOrders = (model: readonly Fact[], facts: readonly Fact[]): Fact[] => {
  const ids = new Set(facts.map((f) => f.orderId));
  return [...model.filter((f) => !ids.has(f.orderId)), ...facts];
};

const scratch = mkdtempSync(join(tmpdir(), 'delta-tables-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let stores = 0;
const STORES: [string, () => ObjectStore][] = [
  ['in memory', () => new InMemoryObjectStore()],
  ['on the file system', () => new FileSystemObjectStore(join(scratch, String((stores += 1))))],
];

describe.each(STORES)('DeltaAnalyticsTables %s', (_name, newStore) => {
  it('reads back the facts and KPIs it committed', async () => {
    const tables = new DeltaAnalyticsTables(newStore());
    const facts = [
      ...order('o1', 0, 3),
      ...order('o2', 0, 1, { orderStatus: 'returned' }),
      ...order('o3', 1, 2),
    ];
    const change = commitOf('t1', facts, facts);
    await tables.commit(change);
    expect(byItem(await tables.readFacts())).toEqual(byItem(facts));
    expect(await tables.readKpis()).toEqual(change.kpis);
    expect(await tables.readKpis({ date: '2025-03-02' })).toEqual(
      computeKpis(facts.filter((f) => dateOf(f) === '2025-03-02')),
    );
    const cat0 = await tables.readKpis({ category: 'cat0' });
    expect(cat0.category.map((k) => k.category)).toEqual(['cat0', 'cat0']);
    expect(cat0.order).toEqual(change.kpis.order);
  });

  it('writes nothing when the same commit runs again', async () => {
    const store = newStore();
    const tables = new DeltaAnalyticsTables(store);
    const facts = order('o1', 0, 2);
    await tables.commit(commitOf('t1', facts, facts));
    const before = await snapshotOfStore(store);
    await tables.commit(commitOf('t1', facts, facts));
    await new DeltaAnalyticsTables(store).commit(commitOf('t1', facts, facts));
    expect(await snapshotOfStore(store)).toEqual(before);
  });

  it('finishes a commit that stopped between tables without doubling the first table', async () => {
    const store = newStore();
    const tables = new DeltaAnalyticsTables(store);
    const facts = order('o1', 0, 2);
    const change = commitOf('t1', facts, facts);
    // as if the process died after order_facts: only that table has the txn
    await tables.orderFacts.commit({ appId: 'shop-pipeline:t1', version: 0 }, async () => ({
      operation: 'MERGE',
      removes: [],
      writes: [{ partitionValues: { order_date: '2025-03-01' }, rows: [] }],
      partitions: new Set(),
    }));
    await tables.commit(change);
    expect((await tables.orderFacts.snapshot())?.version).toBe(0);
    expect(await tables.readKpis()).toEqual(change.kpis);
  });

  it('travels back to the KPIs of an earlier version', async () => {
    const tables = new DeltaAnalyticsTables(newStore());
    const first = order('o1', 0, 2);
    const c1 = commitOf('t1', first, first);
    await tables.commit(c1);
    const second = order('o1', 0, 4, { orderStatus: 'returned' });
    const c2 = commitOf('t2', second, second);
    await tables.commit(c2);
    expect(await tables.readKpis({ version: 0 })).toEqual(c1.kpis);
    expect(await tables.readKpis({ version: 1 })).toEqual(c2.kpis);
    expect(await tables.readKpis()).toEqual(c2.kpis);
    expect(byItem(await tables.readFacts(0))).toEqual(byItem(first));
    expect(c1.kpis).not.toEqual(c2.kpis);
  });

  it('removes the KPI rows of a listed date that has no KPIs any more', async () => {
    const tables = new DeltaAnalyticsTables(newStore());
    expect(await tables.readKpis()).toEqual({ order: [], category: [] }); // no table yet
    const facts = order('o1', 0, 1);
    await tables.commit(commitOf('t1', facts, facts));
    await tables.commit({
      transactionId: 't2',
      orderIds: [],
      facts: NO_FACT_COLUMNS,
      dates: ['2025-03-01'],
      kpis: { order: [], category: [] },
    });
    expect(await tables.readKpis()).toEqual({ order: [], category: [] });
  });

  it('holds every item exactly once after any sequence of order replacements', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(
            fc.record({
              id: fc.integer({ min: 0, max: 5 }),
              day: fc.integer({ min: 0, max: 3 }),
              n: fc.integer({ min: 1, max: 3 }),
            }),
            { minLength: 1, maxLength: 3 },
          ),
          { minLength: 1, maxLength: 4 },
        ),
        async (batches) => {
          const tables = new DeltaAnalyticsTables(newStore());
          let model: Fact[] = [];
          for (const [i, batch] of batches.entries()) {
            const seen = new Set<number>();
            const facts = batch
              .filter((o) => !seen.has(o.id) && seen.add(o.id))
              .flatMap((o) => order(`o${o.id}`, o.day, o.n));
            // an order moved to another day leaves its old partition, whose KPIs change too
            const ids = new Set(facts.map((f) => f.orderId));
            const oldDates = model.filter((f) => ids.has(f.orderId)).map(dateOf);
            model = replaceOrders(model, facts);
            await tables.commit(commitOf(`t${i}`, facts, model, oldDates));
          }
          const stored = await tables.readFacts();
          expect(byItem(stored)).toEqual(byItem(model));
          expect(new Set(stored.map((f) => f.itemId)).size).toBe(stored.length);
          expect(await tables.readKpis()).toEqual(computeKpis(model));
        },
      ),
      { numRuns: 8 },
    );
  });

  it('lands both of two racing writers on one table (one retries), never losing a row', async () => {
    const store = newStore();
    const seed = [...order('o1', 0, 2), ...order('o2', 1, 1)];
    await new DeltaAnalyticsTables(store).commit(commitOf('t0', seed, seed));
    const [sa, sb] = racingStores(store, 2);
    const a = new DeltaAnalyticsTables(sa!);
    const b = new DeltaAnalyticsTables(sb!);
    const fa = order('o3', 0, 2); // same date as o1: a logical conflict
    const fb = order('o1', 0, 3, { orderStatus: 'returned' }); // replaces o1
    const model = replaceOrders(replaceOrders(seed, fa), fb);
    await Promise.all([a.commit(commitOf('ta', fa, model)), b.commit(commitOf('tb', fb, model))]);
    const facts = await a.readFacts();
    expect(byItem(facts)).toEqual(byItem(model));
    expect((await a.orderFacts.snapshot())?.version).toBe(2);
    const log = await store.list('delta/order_facts/_delta_log/');
    expect(log.map((o) => o.key.split('/').pop())).toEqual([
      '00000000000000000000.json',
      '00000000000000000001.json',
      '00000000000000000002.json',
    ]);
  });

  it('commits a transaction once when two writers race with it', async () => {
    const store = newStore();
    const [sa, sb] = racingStores(store, 2);
    const facts = order('o1', 0, 2);
    const change = commitOf('same', facts, facts);
    await Promise.all([
      new DeltaAnalyticsTables(sa!).commit(change),
      new DeltaAnalyticsTables(sb!).commit(change),
    ]);
    const tables = new DeltaAnalyticsTables(store);
    expect((await tables.orderFacts.snapshot())?.version).toBe(0);
    expect(byItem(await tables.readFacts())).toEqual(byItem(facts));
  });

  it('fails cleanly when it runs out of attempts, leaving the winner intact', async () => {
    const store = newStore();
    const [sa, sb] = racingStores(store, 2);
    const fa = order('o1', 0, 1);
    const fb = order('o2', 0, 1);
    const results = await Promise.allSettled([
      new DeltaAnalyticsTables(sa!, { maxAttempts: 1 }).commit(commitOf('ta', fa, fa)),
      new DeltaAnalyticsTables(sb!, { maxAttempts: 1 }).commit(commitOf('tb', fb, fb)),
    ]);
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.status === 'rejected' && failed[0].reason).toBeInstanceOf(
      DeltaConcurrentModification,
    );
    const tables = new DeltaAnalyticsTables(store);
    const stored = await tables.readFacts();
    expect([fa, fb].map((f) => byItem(f))).toContainEqual(byItem(stored));
    // the loser's data file was discarded: every parquet file under order_facts is live or removed
    const live = new Set([...((await tables.orderFacts.snapshot())?.files.keys() ?? [])]);
    const files = (await store.list('delta/order_facts/')).filter((o) =>
      o.key.endsWith('.parquet'),
    );
    expect(files.map((o) => o.key.replace('delta/order_facts/', '')).sort()).toEqual(
      [...live].sort(),
    );
  });
});
