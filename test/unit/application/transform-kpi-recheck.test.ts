// The transform aggregates a date's KPIs, writes them, then checks whether the facts moved in the
// meantime (another transform of the same date). With SQLite the check reads the fact store's
// version instead of aggregating again: unchanged, the second aggregation is skipped; a fact
// written by another connection between the two steps must still trigger it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDb } from '../../../src/adapters/sqlite/sqlite-database.js';
import { SqliteFactStore } from '../../../src/adapters/sqlite/sqlite-fact-store.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { factColumnsOf } from '../../../src/domain/kpi/fact-columns.js';
import type { KpiTotals } from '../../../src/domain/kpi/kpi.types.js';
import { FACT_STORE } from '../../../src/ports/fact-store.port.js';
import { KPI_STORE, type KpiStore } from '../../../src/ports/kpi-store.port.js';
import { ingestOneOrderShop, otherOrderFact, SHOP_DATE } from './one-order-shop.js';

const DATE = SHOP_DATE;

/** a SQLite fact store that counts its aggregations */
class CountingFactStore extends SqliteFactStore {
  aggregations = 0;
  override async kpiTotals(dates: readonly string[]): Promise<KpiTotals> {
    this.aggregations += 1;
    return super.kpiTotals(dates);
  }
}

/** runs `meanwhile` once, right after the transform's first KPI write (between the two steps) */
const kpisWithHook = (inner: KpiStore, meanwhile: () => Promise<void>): KpiStore => {
  let pending: (() => Promise<void>) | null = meanwhile;
  return new Proxy(inner, {
    get(target, name, receiver) {
      if (name !== 'replaceDates') return Reflect.get(target, name, receiver) as unknown;
      return async (dates: readonly string[], totals: KpiTotals) => {
        await target.replaceDates(dates, totals);
        const run = pending;
        pending = null;
        if (run !== null && dates.includes(DATE)) await run();
      };
    },
  });
};

const ingest = async (
  facts: CountingFactStore,
  meanwhile: () => Promise<void>,
): Promise<KpiStore> => {
  const container = buildInMemoryContainer();
  const kpis = kpisWithHook(container.get<KpiStore>(KPI_STORE), meanwhile);
  container.rebind(FACT_STORE).toConstantValue(facts);
  container.rebind(KPI_STORE).toConstantValue(kpis);
  await ingestOneOrderShop(container);
  return kpis;
};

describe('TransformGroup re-aggregates only when the facts may have moved (SQLite)', () => {
  const opened: SqliteDb[] = [];
  const dirs: string[] = [];
  const connections = (): [SqliteDb, SqliteDb] => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-recheck-'));
    dirs.push(dir);
    const pair: [SqliteDb, SqliteDb] = [
      openSqlite(join(dir, 'state.db')),
      openSqlite(join(dir, 'state.db')),
    ];
    opened.push(...pair);
    return pair;
  };
  afterEach(() => {
    opened.splice(0).forEach((db) => db.close());
    dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('aggregates once when no fact changed between the two steps', async () => {
    const [ours] = connections();
    const facts = new CountingFactStore(ours);
    const kpis = await ingest(facts, async () => {});
    expect(facts.aggregations).toBe(1);
    expect((await kpis.query({ date: DATE })).order[0]?.total_orders).toBe(1);
  });

  it('aggregates again when another connection writes a fact of the date in between', async () => {
    const [ours, theirs] = connections();
    const facts = new CountingFactStore(ours);
    const kpis = await ingest(facts, async () => {
      // another process's transform lands a returned order of the same date
      await new SqliteFactStore(theirs).replaceOrders(['other'], factColumnsOf([otherOrderFact]));
    });
    expect(facts.aggregations).toBe(2);
    expect((await kpis.query({ date: DATE })).order).toEqual([
      {
        order_date: DATE,
        total_orders: 2,
        total_revenue: 13.5,
        total_items_sold: 2,
        return_rate: 0.5,
        unique_customers: 2,
      },
    ]);
  });
});
