// The rows `kpis` prints: the daily KPIs as stored, or the KPIs of each week or month, and the
// --totals row, as PipelineApp.kpiRollUp computes them from the facts of the selected days. A
// week's or a month's figures are those of its orders taken together, never sums or means of
// daily rows: unique customers are distinct over the period, and a category's average order
// value and return rate divide the period's revenue and returned orders by its orders.
import type { Period } from '../../domain/kpi/kpi-periods.js';
import type { CategoryKpi, KpiSet, OrderKpi } from '../../domain/kpi/kpi.types.js';

export type { Period };

export interface OrderRow {
  readonly period: string;
  readonly total_orders: number;
  readonly total_revenue: number;
  readonly total_items_sold: number;
  readonly return_rate: number;
  readonly unique_customers: number;
}

export interface CategoryRow {
  readonly category: string;
  readonly period: string;
  /** the spec's name; for a week or a month it is that period's revenue */
  readonly daily_revenue: number;
  readonly avg_order_value: number;
  readonly avg_return_rate: number;
}

export interface KpiRows {
  readonly period: Period;
  readonly order: readonly OrderRow[];
  readonly category: readonly CategoryRow[];
  /** present with --totals: the whole selection as one row */
  readonly totals: OrderRow | null;
}

/** how a period is named: the day, the Monday starting the week, or YYYY-MM */
const label = (firstDay: string, by: Period): string =>
  by === 'month' ? firstDay.slice(0, 7) : firstDay;

// fields listed one by one: the printed key order never depends on how a store built its rows
const orderRow = (r: OrderKpi, period: string): OrderRow => ({
  period,
  total_orders: r.total_orders,
  total_revenue: r.total_revenue,
  total_items_sold: r.total_items_sold,
  return_rate: r.return_rate,
  unique_customers: r.unique_customers,
});

const categoryRow = (r: CategoryKpi, period: string): CategoryRow => ({
  category: r.category,
  period,
  daily_revenue: r.daily_revenue,
  avg_order_value: r.avg_order_value,
  avg_return_rate: r.avg_return_rate,
});

const NOTHING: OrderRow = {
  period: 'total',
  total_orders: 0,
  total_revenue: 0,
  total_items_sold: 0,
  return_rate: 0,
  unique_customers: 0,
};

/**
 * rows of a KPI set dated by the first day of each period; `whole` is the selection rolled up as
 * one period ('all'), for --totals
 */
export const kpiRows = (set: KpiSet, by: Period, whole: KpiSet | null): KpiRows => {
  const total = whole?.order[0];
  return {
    period: by,
    order: set.order.map((r) => orderRow(r, label(r.order_date, by))),
    category: set.category.map((r) => categoryRow(r, label(r.order_date, by))),
    totals: whole === null ? null : total === undefined ? NOTHING : orderRow(total, 'total'),
  };
};
