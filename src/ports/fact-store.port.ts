// Processed facts (items joined to order and product), replaced order by order.
import type { RollUp } from '../domain/kpi/kpi-periods.js';
import type { FactColumns } from '../domain/kpi/fact-columns.js';
import type { Fact, KpiTotals } from '../domain/kpi/kpi.types.js';

export interface FactStore {
  /**
   * Replaces every fact of these orders by the given facts (an order's items as a whole), and
   * returns the order dates touched, before and after, sorted ascending. The facts come as
   * columns (a big group has 10^6 of them): no object per fact crosses the port. The facts of
   * one order and day share its customer, status and time (the join makes them so): a store may
   * keep those once per order (the SQLite store does, schema step 14).
   */
  replaceOrders(orderIds: readonly string[], facts: FactColumns): Promise<string[]>;
  /**
   * The dates replaceOrders(orderIds, facts) would return, without writing: read before the
   * write, so the dates an order leaves can be recorded before they are forgotten.
   */
  touchedBy(orderIds: readonly string[], facts: FactColumns): Promise<string[]>;
  /**
   * A token that changes whenever a fact may have changed, by this process or another one; null
   * when the store cannot tell (then every caller must assume the facts changed). Read it BEFORE
   * aggregating: the same token read later means the aggregate is still the facts' aggregate.
   */
  version(): Promise<string | null>;
  /**
   * The KPI totals of these dates over the facts stored now, aggregated where the facts are
   * (equal to totalKpis of those facts; dates without facts have no rows).
   */
  kpiTotals(dates: readonly string[]): Promise<KpiTotals>;
  /**
   * The KPI totals of the facts of these dates rolled up per period, aggregated where the facts
   * are: each row's `date` is the first day of its period (equal to rollUpTotals of those facts:
   * distinct orders and customers counted over the whole period).
   */
  periodTotals(dates: readonly string[], by: RollUp): Promise<KpiTotals>;
  /** all facts whose order date (UTC, YYYY-MM-DD) is one of dates: for inspection and tests,
   *  not for KPIs (it reads every fact of the dates) */
  forDates(dates: readonly string[]): Promise<Fact[]>;
  count(): Promise<number>;
  /** removes every fact (replay --rebuild replaces them again from the log) */
  reset(): Promise<void>;
}

export const FACT_STORE = Symbol.for('FactStore');
