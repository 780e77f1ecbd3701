// File layout of order_facts (issue 10): a commit rewrites only the files holding replaced rows
// and appends new rows as one file per date; a date with many small files is compacted in the
// same commit with dataChange: false. And the conflict re-plan of the KPI tables (issue 12).
import { describe, expect, it } from 'vitest';
import type { Action } from '../../../src/adapters/delta/delta-actions.js';
import { parseCommit } from '../../../src/adapters/delta/delta-actions.js';
import { MAX_SMALL_FILES } from '../../../src/adapters/delta/delta-analytics-plans.js';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import { computeKpis } from '../../../src/domain/kpi/compute-kpis.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';
import { byItem, commitOf, dateOf, order, racingStores } from './delta-test-support.js';

const replaceOrders = (model: readonly Fact[], facts: readonly Fact[]): Fact[] => {
  const ids = new Set(facts.map((f) => f.orderId));
  return [...model.filter((f) => !ids.has(f.orderId)), ...facts];
};

async function lastCommit(store: InMemoryObjectStore, root: string): Promise<Action[]> {
  const logs = (await store.list(`${root}/_delta_log/`)).filter((o) => o.key.endsWith('.json'));
  const key = logs[logs.length - 1]?.key ?? '';
  return parseCommit(new TextDecoder().decode((await store.get(key)) ?? new Uint8Array()));
}

const adds = (actions: Action[]) => actions.flatMap((a) => ('add' in a ? [a.add] : []));
const removes = (actions: Action[]) => actions.flatMap((a) => ('remove' in a ? [a.remove] : []));

/** a commit of new orders on days, or replacing an earlier order (moving it a day later) */
function workload(commits: number): { commit: (m: Fact[]) => { facts: Fact[]; old: string[] } }[] {
  return Array.from({ length: commits }, (_, i) => ({
    commit: (model: Fact[]) => {
      if (i % 5 === 4) {
        const target = `c${i - 3}-0`;
        const old = model.filter((f) => f.orderId === target).map(dateOf);
        return { facts: order(target, (i % 3) + 1, 2, { orderStatus: 'returned' }), old };
      }
      const facts = [0, 1, 2].flatMap((k) => order(`c${i}-${k}`, (i + k) % 3, 2));
      return { facts, old: [] };
    },
  }));
}

describe('order_facts file layout', () => {
  it('appends new orders to their date without rewriting its files', async () => {
    const store = new InMemoryObjectStore();
    const tables = new DeltaAnalyticsTables(store);
    const seed = [...order('a', 0, 3), ...order('b', 1, 2)];
    await tables.commit(commitOf('t0', seed, seed));
    const more = order('c', 0, 2);
    await tables.commit(commitOf('t1', more, [...seed, ...more]));
    const actions = await lastCommit(store, 'delta/order_facts');
    expect(removes(actions)).toEqual([]);
    expect(adds(actions).map((a) => [a.partitionValues.order_date, a.dataChange])).toEqual([
      ['2025-03-01', true],
    ]);
    expect(byItem(await tables.readFacts())).toEqual(byItem([...seed, ...more]));
  });

  it('rewrites only the file holding a replaced order', async () => {
    const store = new InMemoryObjectStore();
    const tables = new DeltaAnalyticsTables(store);
    let model: Fact[] = [];
    for (const [i, id] of ['a', 'b', 'c'].entries()) {
      const facts = order(id, 0, 2);
      model = [...model, ...facts];
      await tables.commit(commitOf(`t${i}`, facts, model));
    }
    const snapshot = await tables.orderFacts.snapshot();
    const fileOfB = [...(snapshot?.files.values() ?? [])][1];
    const fb = order('b', 0, 1, { orderStatus: 'cancelled' });
    model = replaceOrders(model, fb);
    await tables.commit(commitOf('t3', fb, model));
    const actions = await lastCommit(store, 'delta/order_facts');
    expect(removes(actions).map((r) => r.path)).toEqual([fileOfB?.path]);
    expect(byItem(await tables.readFacts())).toEqual(byItem(model));
  });

  it('keeps at most MAX_SMALL_FILES + 1 files per date over 19 commits, compacting without a data change', async () => {
    const store = new InMemoryObjectStore();
    const tables = new DeltaAnalyticsTables(store);
    let model: Fact[] = [];
    let compactions = 0;
    for (const [i, step] of workload(19).entries()) {
      const { facts, old } = step.commit(model);
      model = replaceOrders(model, facts);
      await tables.commit(commitOf(`w${i}`, facts, model, old));
      const actions = await lastCommit(store, 'delta/order_facts');
      const rearranged = removes(actions).filter((r) => !r.dataChange);
      if (rearranged.length > 0) {
        compactions += 1;
        // one compacted file per date compacted
        const dates = new Set(rearranged.map((r) => r.partitionValues?.order_date));
        expect(adds(actions).filter((a) => !a.dataChange)).toHaveLength(dates.size);
      }
      const perDate = new Map<string, number>();
      for (const f of (await tables.orderFacts.snapshot())?.files.values() ?? []) {
        const d = String(f.partitionValues.order_date);
        perDate.set(d, (perDate.get(d) ?? 0) + 1);
      }
      expect(Math.max(...perDate.values())).toBeLessThanOrEqual(MAX_SMALL_FILES + 1);
      expect(byItem(await tables.readFacts())).toEqual(byItem(model));
    }
    expect(compactions).toBeGreaterThan(0);
    const kpis = await tables.readKpis();
    expect(kpis).toEqual(computeKpis(model));
  }, 120_000);
});

describe('conflict re-plan of the KPI tables', () => {
  it('ends with the KPI rows of the final facts when two writers replace the same date', async () => {
    const store = new InMemoryObjectStore();
    const seed = order('o1', 0, 2);
    await new DeltaAnalyticsTables(store).commit(commitOf('t0', seed, seed));
    const fa = order('o2', 0, 2);
    const fb = order('o1', 0, 3, { orderStatus: 'returned' });
    const final = replaceOrders(replaceOrders(seed, fa), fb);
    // both writers pass the KPIs of the final facts (the caller's job); they race on the commit
    // of category_kpis, so the loser's first plan removes files the winner already removed
    const [sa, sb] = racingStores(store, 2, 'category_kpis/_delta_log/');
    await Promise.all([
      new DeltaAnalyticsTables(sa!).commit(commitOf('ta', fa, final)),
      new DeltaAnalyticsTables(sb!).commit(commitOf('tb', fb, final)),
    ]);
    const tables = new DeltaAnalyticsTables(store);
    expect(await tables.readKpis()).toEqual(computeKpis(final));
    const snapshot = await tables.categoryKpis.snapshot();
    expect(snapshot?.version).toBe(2);
    expect(
      new Set([...(snapshot?.files.values() ?? [])].map((f) => f.partitionValues.order_date)).size,
    ).toBe(snapshot?.files.size);
    // the loser's first files were discarded: every data file is live or was removed in the log
    const known = new Set([
      ...(snapshot?.files.keys() ?? []),
      ...(snapshot?.tombstones.keys() ?? []),
    ]);
    const files = (await store.list('delta/category_kpis/')).filter(
      (o) => !o.key.includes('_delta_log'),
    );
    expect(files.every((o) => known.has(o.key.replace('delta/category_kpis/', '')))).toBe(true);
  });
});
