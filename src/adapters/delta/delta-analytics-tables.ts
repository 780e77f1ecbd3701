// AnalyticsTables over three Delta tables under a prefix (default `delta/`), all partitioned by
// order_date: order_facts (merge on item_id, copy-on-write of the touched partitions),
// category_kpis and order_kpis_daily (the commit's dates replaced).
//
// Idempotency: every table commit carries txn {appId: `shop-pipeline:<transactionId>`,
// version: 0}; a table whose log already holds that appId skips the commit, so re-running a
// commit (or finishing one that crashed between tables) writes only what is missing. One appId
// per transaction id is needed because ids are opaque strings, not a monotonic counter.
//
// Versions: every commit() commits to each table exactly once (an empty change still records its
// txn), so version N of category_kpis and order_kpis_daily both mean "after N+1 commits";
// readKpis({version}) time-travels both to N.
import type { CategoryKpi, Fact, KpiSet, OrderKpi } from '../../domain/kpi/kpi.types.js';
import type { AnalyticsCommit, AnalyticsTables } from '../../ports/analytics-tables.port.js';
import type { KpiFilter } from '../../ports/kpi-store.port.js';
import type { ObjectStore } from '../../ports/object-store.port.js';
import { assertRowsWithinDates, sortKpis } from '../shared/kpi-rows.js';
import {
  CATEGORY_KPIS,
  ORDER_FACTS,
  ORDER_KPIS_DAILY,
  categoryKpiToRow,
  orderKpiToRow,
  rowToCategoryKpi,
  rowToFact,
  rowToOrderKpi,
} from './delta-analytics-rows.js';
import { mergeFactsPlan, replaceDatesPlan } from './delta-analytics-plans.js';
import { type FactBatch, factColumnsBatch } from './delta-fact-batch.js';
import { DeltaTable, type DeltaTableOptions } from './delta-table.js';
import type { VacuumReport } from './delta-vacuum.js';

export interface DeltaAnalyticsTablesOptions extends DeltaTableOptions {
  /** key prefix of the tables; default 'delta/' */
  readonly prefix?: string;
}

export const DELTA_TXN_APP = 'shop-pipeline';

export class DeltaAnalyticsTables implements AnalyticsTables {
  readonly orderFacts: DeltaTable;
  readonly categoryKpis: DeltaTable;
  readonly orderKpisDaily: DeltaTable;

  constructor(
    private readonly store: ObjectStore,
    options: DeltaAnalyticsTablesOptions = {},
  ) {
    const prefix = (options.prefix ?? 'delta/').replace(/\/+$/, '');
    const root = (name: string) => (prefix === '' ? name : `${prefix}/${name}`);
    this.orderFacts = new DeltaTable(store, root('order_facts'), ORDER_FACTS, options);
    this.categoryKpis = new DeltaTable(store, root('category_kpis'), CATEGORY_KPIS, options);
    this.orderKpisDaily = new DeltaTable(
      store,
      root('order_kpis_daily'),
      ORDER_KPIS_DAILY,
      options,
    );
  }

  async commit(change: AnalyticsCommit): Promise<void> {
    await this.commitBatch(change, factColumnsBatch(change.orderIds, change.facts));
  }

  /** commit() with the orders and their new facts given as a FactBatch (the worker's bytes) */
  async commitBatch(
    change: Omit<AnalyticsCommit, 'orderIds' | 'facts'>,
    batch: FactBatch,
  ): Promise<void> {
    assertRowsWithinDates(change.dates, change.kpis);
    const txn = { appId: `${DELTA_TXN_APP}:${change.transactionId}`, version: 0 };
    // the facts go into per-date columns per attempt (no Row per fact); those become garbage
    // once order_facts is committed instead of living through the KPI tables' commits
    await this.orderFacts.commit(txn, (s) => mergeFactsPlan(this.orderFacts, s, batch));
    await this.categoryKpis.commit(txn, async (s) =>
      replaceDatesPlan(s, change.dates, change.kpis.category.map(categoryKpiToRow)),
    );
    await this.orderKpisDaily.commit(txn, async (s) =>
      replaceDatesPlan(s, change.dates, change.kpis.order.map(orderKpiToRow)),
    );
  }

  async readKpis(filter: KpiFilter & { readonly version?: number } = {}): Promise<KpiSet> {
    const { date, category, version } = filter;
    const keep = (f: { partitionValues: Readonly<Record<string, string | null>> }) =>
      date === undefined || f.partitionValues.order_date === date;
    const order: OrderKpi[] = (await this.orderKpisDaily.read(version, keep)).map(rowToOrderKpi);
    const categoryRows: CategoryKpi[] = (await this.categoryKpis.read(version, keep))
      .map(rowToCategoryKpi)
      .filter((k) => category === undefined || k.category === category);
    return sortKpis({ order, category: categoryRows });
  }

  /** deletes every object of the three tables (log, checkpoints, data files) */
  async reset(): Promise<void> {
    for (const table of [this.orderFacts, this.categoryKpis, this.orderKpisDaily]) {
      for (const o of await this.store.list(`${table.root}/`)) await this.store.delete(o.key);
    }
  }

  /** vacuums the three tables (see delta-vacuum.ts); refuses a retention below 168 h unless forced */
  async vacuum(options: { retainHours?: number; force?: boolean } = {}): Promise<VacuumReport[]> {
    const reports: VacuumReport[] = [];
    for (const table of [this.orderFacts, this.categoryKpis, this.orderKpisDaily]) {
      reports.push(await table.vacuum(options));
    }
    return reports;
  }

  /** every fact of order_facts at version (latest by default) */
  async readFacts(version?: number): Promise<Fact[]> {
    return (await this.orderFacts.read(version)).map(rowToFact);
  }
}
