// From exact totals to the reported KPIs: each money value is computed once from integer cents,
// each rate is one division of two integer counts. Also the rules every store shares about
// which totals a replace of some dates may carry, and their order.
import { centsToAmount, divideCents } from '../money.js';
import type { CategoryTotals, DayTotals, KpiSet, KpiTotals } from './kpi.types.js';

/** a rate: one division of two integer counts (0 when there is nothing to divide) */
export const shareOf = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** days by date; categories by date, then category */
export const sortTotals = (t: { days: DayTotals[]; categories: CategoryTotals[] }): KpiTotals => ({
  days: t.days.sort((a, b) => byCodeUnits(a.date, b.date)),
  categories: t.categories.sort(
    (a, b) => byCodeUnits(a.date, b.date) || byCodeUnits(a.category, b.category),
  ),
});

export const kpisFromTotals = (t: KpiTotals): KpiSet => ({
  order: t.days.map((d) => ({
    order_date: d.date,
    total_orders: d.orders,
    total_revenue: centsToAmount(d.revenueCents),
    total_items_sold: d.items,
    return_rate: shareOf(d.returnedOrders, d.orders),
    unique_customers: d.customers,
  })),
  category: t.categories.map((c) => ({
    category: c.category,
    order_date: c.date,
    daily_revenue: centsToAmount(c.revenueCents),
    avg_order_value: centsToAmount(divideCents(c.revenueCents, c.orders)),
    avg_return_rate: shareOf(c.returnedOrders, c.orders),
  })),
});

/** A replace of dates D carrying totals of another date is a caller bug: refuse it loudly. */
export const assertTotalsWithinDates = (dates: readonly string[], t: KpiTotals): void => {
  const listed = new Set(dates);
  const stray = [...t.days, ...t.categories].find((r) => !listed.has(r.date));
  if (stray !== undefined) {
    throw new RangeError(
      `KPI totals of ${stray.date} outside the replaced dates ${dates.join(', ')}`,
    );
  }
};

/** the totals of the listed dates only */
export const totalsOfDates = (t: KpiTotals, dates: readonly string[]): KpiTotals => {
  const listed = new Set(dates);
  return {
    days: t.days.filter((d) => listed.has(d.date)),
    categories: t.categories.filter((c) => listed.has(c.date)),
  };
};
