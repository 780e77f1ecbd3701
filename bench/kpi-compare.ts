// Comparing two KPI sets row by row: keys, counts and cents exactly, rates to 1e-12. Amounts are
// compared as cents whatever their printed form (number or exact decimal string).
import type { KpiSet } from '../src/domain/kpi/kpi.types.js';

const cents = (amount: unknown): number => Math.round(Number(amount) * 100);
const sameRate = (a: unknown, b: unknown): boolean => Math.abs(Number(a) - Number(b)) <= 1e-12;
const sameCount = (a: unknown, b: unknown): boolean => Number(a) === Number(b);

export function compareKpis(
  label: string,
  ours: KpiSet,
  duck: KpiSet,
): { rows: number; diffs: string[] } {
  const diffs: string[] = [];
  const check = <T>(
    kind: string,
    key: (r: T) => string,
    a: readonly T[],
    b: readonly T[],
    same: (x: T, y: T) => boolean,
  ): number => {
    const theirs = new Map(b.map((r) => [key(r), r]));
    for (const r of a) {
      const d = theirs.get(key(r));
      if (d === undefined) diffs.push(`${label} ${kind} ${key(r)}: only in the pipeline`);
      else if (!same(r, d))
        diffs.push(
          `${label} ${kind} ${key(r)}: pipeline ${JSON.stringify(r)} DuckDB ${JSON.stringify(d)}`,
        );
      theirs.delete(key(r));
    }
    for (const k of theirs.keys()) diffs.push(`${label} ${kind} ${k}: only in DuckDB`);
    return a.length;
  };
  const rows =
    check(
      'order_kpis',
      (r) => r.order_date,
      ours.order,
      duck.order,
      (x, y) =>
        sameCount(x.total_orders, y.total_orders) &&
        cents(x.total_revenue) === cents(y.total_revenue) &&
        sameCount(x.total_items_sold, y.total_items_sold) &&
        sameRate(x.return_rate, y.return_rate) &&
        sameCount(x.unique_customers, y.unique_customers),
    ) +
    check(
      'category_kpis',
      (r) => `${r.order_date}/${r.category}`,
      ours.category,
      duck.category,
      (x, y) =>
        cents(x.daily_revenue) === cents(y.daily_revenue) &&
        cents(x.avg_order_value) === cents(y.avg_order_value) &&
        sameRate(x.avg_return_rate, y.avg_return_rate),
    );
  return { rows, diffs };
}
