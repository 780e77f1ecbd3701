// What the HTML report and the live view show, built from what `kpis --json` and `status --json`
// print (the KPI store's rows, the status projections) plus the event log. Money travels as
// integer cents with its text made by the one cents formatter, so the page never does float
// arithmetic on money and every amount equals `kpis --json` to the cent.
import type { RecordedEvent } from '../domain/events.js';
import type { CategoryKpi, KpiSet, OrderKpi } from '../domain/kpi/kpi.types.js';
import { formatCents } from '../domain/money.js';
import { pipelineView, type PipelineView, type ReportRules } from './report-pipeline.js';
import type { PipelineStatus } from './show-status.use-case.js';

export interface Money {
  readonly cents: number;
  /** e.g. "1234.56" */
  readonly text: string;
}

export interface DayRow {
  readonly date: string;
  readonly orders: number;
  readonly revenue: Money;
  readonly itemsSold: number;
  /** fraction in [0, 1], as in `kpis --json` */
  readonly returnRate: number;
  readonly customers: number;
}

export interface CategoryDayRow {
  readonly date: string;
  readonly category: string;
  readonly revenue: Money;
  readonly avgOrderValue: Money;
  readonly returnRate: number;
}

/** one category over the whole period, with its latest-day figures (null: no sale that day) */
export interface CategoryRow {
  readonly category: string;
  readonly periodRevenue: Money;
  readonly daysWithSales: number;
  /** over the period's orders taken together (null: the period roll-up was not given) */
  readonly periodAvgOrderValue: Money | null;
  readonly periodReturnRate: number | null;
  readonly latest: CategoryDayRow | null;
}

export interface ReportData {
  /** ISO-8601 UTC */
  readonly generatedAt: string;
  readonly range: { readonly from: string | null; readonly to: string | null };
  readonly days: readonly DayRow[];
  readonly categories: readonly string[];
  readonly categoryDays: readonly CategoryDayRow[];
  /** the last order date in range, its categories and their revenue total (null: no KPIs) */
  readonly latest: {
    readonly day: DayRow;
    readonly categories: readonly CategoryDayRow[];
    readonly categoriesTotal: Money;
  } | null;
  readonly period: {
    readonly orders: number;
    readonly revenue: Money;
    readonly itemsSold: number;
    /** distinct over the period, not a sum of days (null: the period roll-up was not given) */
    readonly customers: number | null;
  };
  readonly categoryTable: readonly CategoryRow[];
  readonly pipeline: PipelineView;
}

export interface ReportInput {
  readonly kpis: KpiSet;
  /** the days in range rolled up as one period from the facts (PipelineApp.kpiRollUp 'all') */
  readonly periodKpis?: KpiSet;
  readonly status: PipelineStatus;
  readonly events: readonly RecordedEvent[];
  /** rules with failures per report key, read from the verdict reports where available */
  readonly rules?: ReportRules;
  /** inclusive order-date bounds (YYYY-MM-DD) */
  readonly from?: string;
  readonly to?: string;
  readonly generatedAt: string;
}

/** a KPI amount (2 decimals, as the KPI store holds it) as exact cents */
export const centsOf = (amount: number): number => Math.round(amount * 100);
export const money = (cents: number): Money => ({ cents, text: formatCents(cents) });

const dayRow = (k: OrderKpi): DayRow => ({
  date: k.order_date,
  orders: k.total_orders,
  revenue: money(centsOf(k.total_revenue)),
  itemsSold: k.total_items_sold,
  returnRate: k.return_rate,
  customers: k.unique_customers,
});

const categoryDayRow = (k: CategoryKpi): CategoryDayRow => ({
  date: k.order_date,
  category: k.category,
  revenue: money(centsOf(k.daily_revenue)),
  avgOrderValue: money(centsOf(k.avg_order_value)),
  returnRate: k.avg_return_rate,
});

const sumCents = (rows: readonly { readonly revenue: Money }[]): number =>
  rows.reduce((sum, r) => sum + r.revenue.cents, 0);

export const buildReportData = (input: ReportInput): ReportData => {
  const inRange = (date: string): boolean =>
    (input.from === undefined || date >= input.from) &&
    (input.to === undefined || date <= input.to);
  const days = input.kpis.order
    .filter((k) => inRange(k.order_date))
    .map(dayRow)
    .sort((a, b) => a.date.localeCompare(b.date));
  const categoryDays = input.kpis.category
    .filter((k) => inRange(k.order_date))
    .map(categoryDayRow)
    .sort((a, b) => a.date.localeCompare(b.date) || a.category.localeCompare(b.category));
  const categories = [...new Set(categoryDays.map((c) => c.category))].sort();
  const lastDay = days.at(-1);
  const latestCategories =
    lastDay === undefined ? [] : categoryDays.filter((c) => c.date === lastDay.date);
  const whole = input.periodKpis;
  const categoryTable = categories.map((category): CategoryRow => {
    const rows = categoryDays.filter((c) => c.category === category);
    const overPeriod = whole?.category.find((c) => c.category === category);
    return {
      category,
      periodRevenue: money(sumCents(rows)),
      daysWithSales: rows.length,
      periodAvgOrderValue:
        overPeriod === undefined ? null : money(centsOf(overPeriod.avg_order_value)),
      periodReturnRate: overPeriod?.avg_return_rate ?? null,
      latest: latestCategories.find((c) => c.category === category) ?? null,
    };
  });
  return {
    generatedAt: input.generatedAt,
    range: { from: input.from ?? null, to: input.to ?? null },
    days,
    categories,
    categoryDays,
    latest:
      lastDay === undefined
        ? null
        : {
            day: lastDay,
            categories: latestCategories,
            categoriesTotal: money(sumCents(latestCategories)),
          },
    period: {
      orders: days.reduce((n, d) => n + d.orders, 0),
      revenue: money(sumCents(days)),
      itemsSold: days.reduce((n, d) => n + d.itemsSold, 0),
      customers: whole === undefined ? null : (whole.order[0]?.unique_customers ?? 0),
    },
    categoryTable,
    pipeline: pipelineView(input.status, input.events, input.rules ?? new Map()),
  };
};
