// The KPI totals of some dates, aggregated by SQLite over the facts table (GROUP BY, integer
// cents summed as 64-bit integers, distinct orders and users counted in SQL): no fact is read
// into JS. Proven equal to the domain's totalKpis by test/contract/fact-store.contract.ts.
import { NO_CATEGORY } from '../../domain/kpi/compute-kpis.js';
import { sortTotals } from '../../domain/kpi/kpi-totals.js';
import type { KpiTotals } from '../../domain/kpi/kpi.types.js';
import type { SqliteDb } from './sqlite-database.js';

/** one date's (or period's) row of the day aggregate, as SQLite returns it (safe integers) */
export interface DayRow {
  date: string;
  orders: bigint;
  items: bigint;
  cents: bigint;
  returned: bigint;
  customers: bigint;
}
/** one category's row of a date (or period) */
export interface CategoryRow {
  category: string;
  date: string;
  cents: bigint;
  orders: bigint;
  returned: bigint;
}

const RETURNED = `COUNT(DISTINCT CASE WHEN order_status = 'returned' THEN order_id END)`;
// facts hold a UTC day number (schema step 8); dates go in and come out as YYYY-MM-DD
const LISTED = 'order_day IN (SELECT unixepoch(value) / 86400 FROM json_each(@dates))';
const DATE = `date(order_day * 86400, 'unixepoch')`;

export const kpiTotalsQuery = (db: SqliteDb) => {
  // safeIntegers: a sum beyond 2^53 cents comes back exact, as a bigint
  const days = db
    .prepare<{ dates: string }, DayRow>(
      `SELECT ${DATE} AS date, COUNT(DISTINCT order_id) AS orders, COUNT(*) AS items,
         SUM(sale_price_cents) AS cents, ${RETURNED} AS returned,
         COUNT(DISTINCT user_id) AS customers
       FROM facts WHERE ${LISTED} GROUP BY order_day`,
    )
    .safeIntegers(true);
  const categories = db
    .prepare<{ dates: string; none: string }, CategoryRow>(
      `SELECT COALESCE(category, @none) AS category, ${DATE} AS date,
         SUM(sale_price_cents) AS cents, COUNT(DISTINCT order_id) AS orders, ${RETURNED} AS returned
       FROM facts WHERE ${LISTED} GROUP BY order_day, COALESCE(category, @none)`,
    )
    .safeIntegers(true);
  // one read transaction: both aggregates see the same facts
  return db.transaction((dates: readonly string[]): KpiTotals => {
    const listed = JSON.stringify([...new Set(dates)]);
    return totalsOfRows(
      days.all({ dates: listed }),
      categories.all({ dates: listed, none: NO_CATEGORY }),
    );
  });
};

/** the aggregate rows as the domain's KPI totals (counts as numbers, cents stay bigint) */
export const totalsOfRows = (
  days: readonly DayRow[],
  categories: readonly CategoryRow[],
): KpiTotals =>
  sortTotals({
    days: days.map((r) => ({
      date: r.date,
      orders: Number(r.orders),
      items: Number(r.items),
      revenueCents: r.cents,
      returnedOrders: Number(r.returned),
      customers: Number(r.customers),
    })),
    categories: categories.map((r) => ({
      category: r.category,
      date: r.date,
      revenueCents: r.cents,
      orders: Number(r.orders),
      returnedOrders: Number(r.returned),
    })),
  });
