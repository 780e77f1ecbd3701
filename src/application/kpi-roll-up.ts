// KPIs of weeks, months or a whole selection, computed from the facts of the selected days where
// the facts are (FactStore.periodTotals), never added up from daily KPI rows: a customer who
// orders on three days of a month is one customer of that month, and a category's average order
// value is its month's revenue over its month's orders. The selection is the days the KPI store
// (or the Delta KPI table) holds for the filter's date; a category filter keeps that category's
// rows and, as for daily KPIs, leaves the order KPIs whole.
import { kpisFromTotals } from '../domain/kpi/kpi-totals.js';
import { rollUpTotals, type RollUp } from '../domain/kpi/kpi-periods.js';
import type { KpiSet } from '../domain/kpi/kpi.types.js';
import type { AnalyticsTables } from '../ports/analytics-tables.port.js';
import type { FactStore } from '../ports/fact-store.port.js';
import type { KpiFilter, KpiStore } from '../ports/kpi-store.port.js';

const ofCategory = (set: KpiSet, category: string | undefined): KpiSet =>
  category === undefined
    ? set
    : { order: set.order, category: set.category.filter((c) => c.category === category) };

/** the KPI filter, and inclusive order-date bounds (the report's --from/--to) */
export interface RollUpSelection extends KpiFilter {
  readonly from?: string;
  readonly to?: string;
}

const dateOnly = (filter: KpiFilter): KpiFilter =>
  filter.date === undefined ? {} : { date: filter.date };
const inRange = (s: RollUpSelection) => (date: string) =>
  (s.from === undefined || date >= s.from) && (s.to === undefined || date <= s.to);

/** rows dated by the first day of their period (the first selected day for 'all') */
export const storeKpiRollUp = async (
  kpis: KpiStore,
  facts: FactStore,
  filter: RollUpSelection,
  by: RollUp,
): Promise<KpiSet> => {
  const days = (await kpis.queryTotals(dateOnly(filter))).days
    .map((d) => d.date)
    .filter(inRange(filter));
  return ofCategory(kpisFromTotals(await facts.periodTotals(days, by)), filter.category);
};

/** the same over what the Delta tables hold: their KPI days and their facts */
export const deltaKpiRollUp = async (
  tables: AnalyticsTables,
  filter: RollUpSelection,
  by: RollUp,
): Promise<KpiSet> => {
  const days = (await tables.readKpis(dateOnly(filter))).order
    .map((d) => d.order_date)
    .filter(inRange(filter));
  const totals = rollUpTotals(await tables.readFacts(), days, by);
  return ofCategory(kpisFromTotals(totals), filter.category);
};
