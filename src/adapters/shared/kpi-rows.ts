// Rules about reported KPI rows (KpiSet) the Delta analytics tables share with any other reader:
// which rows a replace of some dates may carry, and the query order. (The KPI stores keep
// totals: src/domain/kpi/kpi-totals.ts.)
import type { CategoryKpi, KpiSet, OrderKpi } from '../../domain/kpi/kpi.types.js';

/** A replace of dates D carrying a row of another date is a caller bug: refuse it loudly. */
export const assertRowsWithinDates = (dates: readonly string[], kpis: KpiSet): void => {
  const listed = new Set(dates);
  const stray = [...kpis.order, ...kpis.category].find((r) => !listed.has(r.order_date));
  if (stray !== undefined) {
    throw new RangeError(
      `KPI row of ${stray.order_date} outside the replaced dates ${dates.join(', ')}`,
    );
  }
};

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** order rows by date; category rows by date, then category */
export const sortKpis = (kpis: { order: OrderKpi[]; category: CategoryKpi[] }): KpiSet => ({
  order: kpis.order.sort((a, b) => cmp(a.order_date, b.order_date)),
  category: kpis.category.sort(
    (a, b) => cmp(a.order_date, b.order_date) || cmp(a.category, b.category),
  ),
});
