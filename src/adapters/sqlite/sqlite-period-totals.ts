// KPI totals rolled up per period, aggregated by SQLite over the facts table. The domain maps each
// listed date to its period (periodsOf); SQL joins the facts of those dates to that map and
// groups by period, so distinct orders and customers are counted once per period, in SQL, and no
// fact is read into JS. Proven equal to the domain's rollUpTotals by
// test/contract/fact-store-periods.contract.ts.
import { NO_CATEGORY } from '../../domain/kpi/compute-kpis.js';
import { periodsOf, type RollUp } from '../../domain/kpi/kpi-periods.js';
import { sortTotals } from '../../domain/kpi/kpi-totals.js';
import type { KpiTotals } from '../../domain/kpi/kpi.types.js';
import type { SqliteDb } from './sqlite-database.js';

interface PeriodRow {
  date: string;
  orders: bigint;
  items: bigint;
  cents: bigint;
  returned: bigint;
  customers: bigint;
}
interface CategoryRow {
  category: string;
  date: string;
  cents: bigint;
  orders: bigint;
  returned: bigint;
}

const RETURNED = `COUNT(DISTINCT CASE WHEN f.order_status = 'returned' THEN f.order_id END)`;
// json_each over {"date": "period start", ...}: one row per listed date (key) and its period
const PLACED = `facts f JOIN json_each(@periods) p ON f.order_date = p.key`;

const prepared = new WeakMap<SqliteDb, (periods: string) => KpiTotals>();

const periodTotalsQuery = (db: SqliteDb): ((periods: string) => KpiTotals) => {
  // safeIntegers: a sum beyond 2^53 cents comes back exact, as a bigint
  const days = db
    .prepare<{ periods: string }, PeriodRow>(
      `SELECT p.value AS date, COUNT(DISTINCT f.order_id) AS orders, COUNT(*) AS items,
         SUM(f.sale_price_cents) AS cents, ${RETURNED} AS returned,
         COUNT(DISTINCT f.user_id) AS customers
       FROM ${PLACED} GROUP BY p.value`,
    )
    .safeIntegers(true);
  const categories = db
    .prepare<{ periods: string; none: string }, CategoryRow>(
      `SELECT COALESCE(f.category, @none) AS category, p.value AS date,
         SUM(f.sale_price_cents) AS cents, COUNT(DISTINCT f.order_id) AS orders,
         ${RETURNED} AS returned
       FROM ${PLACED} GROUP BY p.value, COALESCE(f.category, @none)`,
    )
    .safeIntegers(true);
  // one read transaction: both aggregates see the same facts
  return db.transaction((periods: string) =>
    sortTotals({
      days: days.all({ periods }).map((r) => ({
        date: r.date,
        orders: Number(r.orders),
        items: Number(r.items),
        revenueCents: r.cents,
        returnedOrders: Number(r.returned),
        customers: Number(r.customers),
      })),
      categories: categories.all({ periods, none: NO_CATEGORY }).map((r) => ({
        category: r.category,
        date: r.date,
        revenueCents: r.cents,
        orders: Number(r.orders),
        returnedOrders: Number(r.returned),
      })),
    }),
  );
};

/** the statements are prepared once per database, on first use */
export const sqlitePeriodTotals = (
  db: SqliteDb,
  dates: readonly string[],
  by: RollUp,
): KpiTotals => {
  let query = prepared.get(db);
  if (query === undefined) {
    query = periodTotalsQuery(db);
    prepared.set(db, query);
  }
  return query(JSON.stringify(Object.fromEntries(periodsOf(dates, by))));
};
