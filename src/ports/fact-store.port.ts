// Processed facts (items joined to order and product), replaced order by order.
import type { Fact, KpiTotals } from '../domain/kpi/kpi.types.js';

export interface FactStore {
  /**
   * Replaces every fact of these orders by the given facts (an order's items as a whole), and
   * returns the order dates touched, before and after, sorted ascending.
   */
  replaceOrders(orderIds: readonly string[], facts: readonly Fact[]): Promise<string[]>;
  /**
   * The KPI totals of these dates over the facts stored now, aggregated where the facts are
   * (equal to totalKpis of those facts; dates without facts have no rows).
   */
  kpiTotals(dates: readonly string[]): Promise<KpiTotals>;
  /** all facts whose order date (UTC, YYYY-MM-DD) is one of dates: for inspection and tests,
   *  not for KPIs (it reads every fact of the dates) */
  forDates(dates: readonly string[]): Promise<Fact[]>;
  count(): Promise<number>;
}

export const FACT_STORE = Symbol.for('FactStore');
