// Small builders for the delta writer tests.
import type { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { dataFileKey } from '../../../src/adapters/delta/delta-rows.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';
import type { AnalyticsCommit } from '../../../src/ports/analytics-tables.port.js';
import type { ObjectInfo, ObjectStore } from '../../../src/ports/object-store.port.js';
import { computeKpis } from '../../../src/domain/kpi/compute-kpis.js';
import { factColumnsOf } from '../../../src/domain/kpi/fact-columns.js';

const DAY = 86_400_000;
export const DAY0 = Date.UTC(2025, 2, 1, 10, 30, 15, 123);

/** An order of n items on day `day` (0-based from 2025-03-01). */
export function order(id: string, day: number, n: number, opts: Partial<Fact> = {}): Fact[] {
  return Array.from({ length: n }, (_, i) => ({
    itemId: `${id}-i${i}`,
    orderId: id,
    userId: `u-${id}`,
    orderStatus: 'complete',
    orderCreatedAt: DAY0 + day * DAY,
    productId: `p${i % 3}`,
    category: i % 3 === 2 ? null : `cat${i % 3}`,
    salePriceCents: 1999 + i * 101,
    ...opts,
  }));
}

export const dateOf = (f: Fact): string => new Date(f.orderCreatedAt).toISOString().slice(0, 10);

/**
 * A commit replacing the given orders, with KPIs recomputed from `allFacts` (the model of the
 * table after the commit) for the dates it touches.
 */
export function commitOf(
  transactionId: string,
  facts: readonly Fact[],
  allFacts: readonly Fact[],
  extraDates: readonly string[] = [],
): AnalyticsCommit {
  const dates = [...new Set([...facts.map(dateOf), ...extraDates])].sort();
  const kpis = computeKpis(allFacts.filter((f) => dates.includes(dateOf(f))));
  return {
    transactionId,
    orderIds: [...new Set(facts.map((f) => f.orderId))],
    facts: factColumnsOf(facts),
    dates,
    kpis,
  };
}

export const byItem = (facts: readonly Fact[]): Fact[] =>
  [...facts].sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));

/**
 * Wraps a store so that the first commit put-if-absent of each wrapper waits until `parties`
 * wrappers reached theirs: the writers then race for the same log version.
 */
export function racingStores(
  store: ObjectStore,
  parties: number,
  /** which commit keys race (default: the first commit of any table) */
  match = '_delta_log/',
): ObjectStore[] {
  let arrived = 0;
  let release: () => void = () => undefined;
  const barrier = new Promise<void>((resolve) => (release = resolve));
  return Array.from({ length: parties }, () => {
    let first = true;
    const gated: ObjectStore = {
      get: (k) => store.get(k),
      getStream: (k) => store.getStream(k),
      put: (k, b) => store.put(k, b),
      list: (p): Promise<ObjectInfo[]> => store.list(p),
      copy: (a, b) => store.copy(a, b),
      delete: (k) => store.delete(k),
      putIfAbsent: async (k, b) => {
        if (first && k.includes(match)) {
          first = false;
          arrived += 1;
          if (arrived === parties) release();
          await barrier;
        }
        return store.putIfAbsent(k, b);
      },
    };
    return gated;
  });
}

export async function snapshotOfStore(store: ObjectStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { key } of await store.list('')) {
    out.set(key, Buffer.from((await store.get(key)) ?? new Uint8Array()).toString('base64'));
  }
  return out;
}

/**
 * order_facts' live files as comparable values: partition, size, stats, dataChange and the data
 * file's bytes (paths and times differ between two writers of the same rows), in stats order
 */
export async function orderFactsFiles(store: ObjectStore, tables: DeltaAnalyticsTables) {
  const snapshot = await tables.orderFacts.snapshot();
  const files = [...(snapshot?.files.values() ?? [])];
  const out = await Promise.all(
    files.map(async (f) => ({
      partitionValues: f.partitionValues,
      size: f.size,
      stats: f.stats,
      dataChange: f.dataChange,
      bytes: Buffer.from((await store.get(dataFileKey(tables.orderFacts.root, f.path))) ?? []),
    })),
  );
  return out.sort((a, b) => (a.stats ?? '').localeCompare(b.stats ?? ''));
}
