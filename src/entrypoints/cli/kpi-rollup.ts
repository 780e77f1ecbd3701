// Roll-ups of the daily KPI rows into weeks, months and a total. Rates are recomputed from
// counts (never an average of daily rates) and money is summed in integer cents. A daily row
// holds its order count and its return rate unrounded, so the returned orders are recovered
// exactly as rate x orders. Distinct customers and per-category order counts are not held by
// the daily rows, so a roll-up leaves those fields null rather than adding up what does not add.
import type { CategoryKpi, KpiSet, OrderKpi } from '../../domain/kpi/kpi.types.js';

export type Period = 'day' | 'week' | 'month';
type RollUpOf = Period | 'total';

export interface OrderRow {
  readonly period: string;
  readonly total_orders: number;
  readonly total_revenue: number;
  readonly total_items_sold: number;
  readonly return_rate: number;
  readonly unique_customers: number | null;
}

export interface CategoryRow {
  readonly category: string;
  readonly period: string;
  readonly daily_revenue: number;
  readonly avg_order_value: number | null;
  readonly avg_return_rate: number | null;
}

export interface KpiRows {
  readonly period: Period;
  readonly order: readonly OrderRow[];
  readonly category: readonly CategoryRow[];
  /** present with --totals: the whole selection as one row */
  readonly totals: OrderRow | null;
}

const cents = (amount: number): number => Math.round(amount * 100);

/** the period a YYYY-MM-DD date falls in: itself, the Monday starting its week, or YYYY-MM */
export const periodOf = (date: string, by: Period): string => {
  if (by === 'day') return date;
  if (by === 'month') return date.slice(0, 7);
  const day = new Date(`${date}T00:00:00Z`);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
};

interface OrderAcc {
  orders: number;
  cents: number;
  items: number;
  returned: number;
  customers: number | null;
}

const sumOrders = (rows: readonly OrderKpi[], period: string, by: RollUpOf): OrderRow => {
  const acc: OrderAcc = { orders: 0, cents: 0, items: 0, returned: 0, customers: null };
  for (const r of rows) {
    acc.orders += r.total_orders;
    acc.cents += cents(r.total_revenue);
    acc.items += r.total_items_sold;
    acc.returned += Math.round(r.return_rate * r.total_orders);
  }
  // a day is its own roll-up; across days these fields do not add up
  const single = by === 'day' && rows.length === 1 ? rows[0] : undefined;
  return {
    period,
    total_orders: acc.orders,
    total_revenue: acc.cents / 100,
    total_items_sold: acc.items,
    return_rate: acc.orders === 0 ? 0 : acc.returned / acc.orders,
    unique_customers: single?.unique_customers ?? acc.customers,
  };
};

const groupBy = <T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = groups.get(k);
    if (list === undefined) groups.set(k, [r]);
    else list.push(r);
  }
  return groups;
};

const sumCategory = (
  rows: readonly CategoryKpi[],
  category: string,
  period: string,
  by: Period,
): CategoryRow => {
  const single = by === 'day' && rows.length === 1 ? rows[0] : undefined;
  return {
    category,
    period,
    daily_revenue: rows.reduce((sum, r) => sum + cents(r.daily_revenue), 0) / 100,
    avg_order_value: single?.avg_order_value ?? null,
    avg_return_rate: single?.avg_return_rate ?? null,
  };
};

export const rollUp = (kpis: KpiSet, by: Period, totals: boolean): KpiRows => {
  const orders = groupBy(kpis.order, (r) => periodOf(r.order_date, by));
  const categories = groupBy(
    kpis.category,
    (r) => `${periodOf(r.order_date, by)}\u0000${r.category}`,
  );
  return {
    period: by,
    order: [...orders]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([p, rows]) => sumOrders(rows, p, by)),
    category: [...categories]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, rows]) => {
        const [period = '', category = ''] = k.split('\u0000');
        return sumCategory(rows, category, period, by);
      }),
    totals: totals ? sumOrders(kpis.order, 'total', 'total') : null,
  };
};
