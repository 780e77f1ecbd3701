// Retention: vacuum deletes unreferenced data files once no reader can need them, expired log
// entries go after a checkpoint, and txn entries expire per delta.setTransactionRetentionDuration.
import { describe, expect, it } from 'vitest';
import type { DeltaTableDefinition } from '../../../src/adapters/delta/delta-commit.js';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { field } from '../../../src/adapters/delta/delta-schema.js';
import { DeltaVersionNotFound, loadSnapshot } from '../../../src/adapters/delta/delta-snapshot.js';
import { DeltaTable } from '../../../src/adapters/delta/delta-table.js';
import { VacuumRetentionTooShort } from '../../../src/adapters/delta/delta-vacuum.js';
import { intervalMs } from '../../../src/adapters/delta/delta-retention.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import { NO_FACT_COLUMNS } from '../../../src/domain/kpi/fact-columns.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2025, 2, 1);

const KV: DeltaTableDefinition = {
  fields: [field('k', 'string'), field('v', 'long')],
  partitionColumns: ['k'],
};

/** a clock the test moves */
const clock = () => {
  let now = T0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
};

/** replaces partition k=a with one row v */
const replaceA = (table: DeltaTable, v: number) =>
  table.commit(null, async (s) => ({
    operation: 'WRITE',
    removes: s ? [...s.files.values()] : [],
    writes: [{ partitionValues: { k: 'a' }, rows: [{ k: 'a', v }] }],
    partitions: new Set<string>(),
  }));

const dataKeys = async (store: InMemoryObjectStore) =>
  (await store.list('t/k=')).map((o) => o.key).sort();

describe('vacuum', () => {
  it('keeps removed files for 168 hours by default, then deletes them; never a live one', async () => {
    const store = new InMemoryObjectStore();
    const time = clock();
    const table = new DeltaTable(store, 't', KV, { now: time.now });
    for (let v = 0; v < 5; v += 1) await replaceA(table, v);
    expect((await dataKeys(store)).length).toBe(5);
    time.advance(167 * HOUR);
    expect(await table.vacuum()).toMatchObject({ deleted: [], kept: 4 });
    time.advance(2 * HOUR);
    const report = await table.vacuum();
    expect(report.deleted.length).toBe(4);
    expect(report.bytes).toBeGreaterThan(0);
    const live = [...((await table.snapshot())?.files.values() ?? [])].map((f) => `t/${f.path}`);
    expect(await dataKeys(store)).toEqual(live);
    expect(await table.read()).toEqual([{ k: 'a', v: 4 }]);
  });

  it("refuses a retention below the table's unless forced", async () => {
    const store = new InMemoryObjectStore();
    const time = clock();
    const table = new DeltaTable(store, 't', KV, { now: time.now });
    for (let v = 0; v < 3; v += 1) await replaceA(table, v);
    await expect(table.vacuum({ retainHours: 1 })).rejects.toBeInstanceOf(VacuumRetentionTooShort);
    time.advance(2 * HOUR);
    expect((await table.vacuum({ retainHours: 1, force: true })).deleted.length).toBe(2);
  });

  it('deletes a leftover of a crashed writer by the age in its name, keeps files of unknown age', async () => {
    const store = new InMemoryObjectStore();
    const time = clock();
    const table = new DeltaTable(store, 't', KV, { now: time.now });
    await replaceA(table, 1);
    const [live] = await dataKeys(store);
    // a file named like ours, created at T0 and never committed; a foreign file; a hidden one
    const orphan = String(live).replace(
      /part-00000-[^/]*$/,
      'part-00000-01954f5f-8400-7000-8000-000000000000-c000.snappy.parquet',
    );
    await store.put(orphan, 'x');
    await store.put('t/k=a/foreign.parquet', 'x');
    await store.put('t/_tmp/whatever', 'x');
    time.advance(200 * HOUR);
    const report = await table.vacuum();
    expect(report.deleted).toEqual([orphan]);
    expect(report.kept).toBe(1);
    expect((await store.list('t/')).map((o) => o.key)).toContain('t/_tmp/whatever');
  });

  it('vacuums the three analytics tables', async () => {
    const store = new InMemoryObjectStore();
    const reports = await new DeltaAnalyticsTables(store).vacuum();
    expect(reports.map((r) => r.root)).toEqual([
      'delta/order_facts',
      'delta/category_kpis',
      'delta/order_kpis_daily',
    ]);
  });
});

describe('log retention', () => {
  it('deletes log entries older than 30 days up to the checkpoint that still serves the rest', async () => {
    const store = new InMemoryObjectStore();
    const time = clock();
    const table = new DeltaTable(store, 't', KV, { now: time.now });
    for (let v = 0; v <= 10; v += 1) await replaceA(table, v); // versions 0..10, checkpoint 10
    time.advance(31 * DAY);
    for (let v = 11; v <= 20; v += 1) await replaceA(table, v); // checkpoint 20, then cleanup
    const names = (await store.list('t/_delta_log/')).map((o) =>
      o.key.slice('t/_delta_log/'.length),
    );
    const versions = names.filter((n) => n.endsWith('.json')).map((n) => Number(n.slice(0, 20)));
    expect(Math.min(...versions)).toBe(10);
    expect(
      names.filter((n) => n.includes('checkpoint.parquet')).map((n) => Number(n.slice(0, 20))),
    ).toEqual([10, 20]);
    expect(await table.read()).toEqual([{ k: 'a', v: 20 }]);
    expect(await table.read(11)).toEqual([{ k: 'a', v: 11 }]); // time travel within retention
    await expect(loadSnapshot(store, 't', 5)).rejects.toBeInstanceOf(DeltaVersionNotFound);
  });

  it('keeps the whole log while it is younger than the retention', async () => {
    const store = new InMemoryObjectStore();
    const table = new DeltaTable(store, 't', KV, { now: clock().now });
    for (let v = 0; v <= 20; v += 1) await replaceA(table, v);
    const json = (await store.list('t/_delta_log/')).filter((o) => o.key.endsWith('.json'));
    expect(json.length).toBe(21);
  });

  it('reads durations as Spark writes them', () => {
    expect(intervalMs('interval 30 days')).toBe(30 * DAY);
    expect(intervalMs('interval 1 week 2 hours')).toBe(7 * DAY + 2 * HOUR);
    expect(intervalMs('168 hours')).toBe(168 * HOUR);
    expect(intervalMs('soon')).toBeNull();
  });
});

describe('txn expiry', () => {
  it('forgets a txn older than delta.setTransactionRetentionDuration, also in checkpoints', async () => {
    const store = new InMemoryObjectStore();
    const time = clock();
    const def = {
      ...KV,
      configuration: { 'delta.setTransactionRetentionDuration': 'interval 1 days' },
    };
    const table = new DeltaTable(store, 't', def, { now: time.now, checkpointInterval: 2 });
    const txn = { appId: 'app-1', version: 0 };
    const once = async () =>
      (
        await table.commit(txn, async () => ({
          operation: 'WRITE',
          removes: [],
          writes: [],
          partitions: new Set<string>(),
        }))
      ).kind;
    expect(await once()).toBe('committed');
    expect(await once()).toBe('duplicate');
    time.advance(2 * DAY);
    expect(await once()).toBe('committed'); // version 1: the old txn expired
    await replaceA(table, 1); // version 2: checkpoint, the txn of version 1 still fresh
    expect([...(await loadSnapshot(store, 't', 2)).txns.keys()]).toEqual(['app-1']);
    time.advance(2 * DAY);
    await replaceA(table, 2); // version 3
    await replaceA(table, 3); // version 4: checkpoint without the expired txn
    expect([...(await loadSnapshot(store, 't', 4)).txns.keys()]).toEqual([]);
  });

  it('gives the analytics tables a 30-day txn retention', async () => {
    const store = new InMemoryObjectStore();
    await new DeltaAnalyticsTables(store).commit({
      transactionId: 't',
      orderIds: [],
      facts: NO_FACT_COLUMNS,
      dates: [],
      kpis: { order: [], category: [] },
    });
    const { metaData } = await loadSnapshot(store, 'delta/category_kpis');
    expect(metaData.configuration['delta.setTransactionRetentionDuration']).toBe(
      'interval 30 days',
    );
  });
});
