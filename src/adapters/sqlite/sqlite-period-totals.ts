// KPI totals rolled up per period, aggregated by SQLite over the facts table. The domain maps each
// listed date to its period (periodsOf); SQL joins the facts of those dates to that map and
// groups by period, so customers are counted once per period, in SQL, and no fact is read into
// JS. Proven equal to the domain's rollUpTotals by
// test/contract/fact-store-periods.contract.ts.
import { NO_CATEGORY } from '../../domain/kpi/compute-kpis.js';
import { periodsOf, type RollUp } from '../../domain/kpi/kpi-periods.js';
import type { KpiTotals } from '../../domain/kpi/kpi.types.js';
import type { SqliteDb } from './sqlite-database.js';
import { type CategoryRow, type DayRow, ORDER_OF, totalsOfRows } from './sqlite-kpi-totals.js';

// an order's status and customer are in its facts_orders row (schema step 14), one key seek a fact
const RETURNED = `COUNT(DISTINCT CASE WHEN o.order_status = 'returned' THEN f.order_id END)`;
// json_each over {"date": "period start", ...}: one row per listed date (key) and its period
// d is the date's UTC day number, as the facts hold it (schema step 8)
const PERIODS = `p AS (SELECT unixepoch(key) / 86400 AS d, value AS period FROM json_each(@periods))`;
const LISTED = `f.order_day IN (SELECT d FROM p)`;

const prepared = new WeakMap<SqliteDb, (periods: string) => KpiTotals>();

// An order's facts share its date, so the distinct orders (and returned orders) of a period,
// overall or per category, are the sums of its days': those are counted per date, as
// kpiTotals does along the date index, and then added up. Only customers span days: they are
// counted distinct over each period's facts (a customer ordering on two days is one).
// The day rows come from one row per order and day: its facts grouped along the key, then its
// facts_orders row (customer, status: schema step 14) found by one seek, not one a fact; the
// CTE is MATERIALIZED, as it feeds both the counts and the customers (not materialized, the
// 1M-fact bench did not finish in 300 s).
const periodTotalsQuery = (db: SqliteDb): ((periods: string) => KpiTotals) => {
  // safeIntegers: a sum beyond 2^53 cents comes back exact, as a bigint
  const days = db
    .prepare<{ periods: string }, DayRow>(
      `WITH ${PERIODS},
       per_order AS MATERIALIZED (
         SELECT g.order_day AS d, g.items, g.cents, o.user_id,
           o.order_status = 'returned' AS returned
         FROM (SELECT f.order_day, f.order_id, COUNT(*) AS items,
             SUM(f.sale_price_cents) AS cents
           FROM facts f WHERE ${LISTED} GROUP BY f.order_day, f.order_id) AS g
         CROSS JOIN ${ORDER_OF('g')}),
       per_day AS (
         SELECT d, COUNT(*) AS orders, SUM(items) AS items, SUM(cents) AS cents,
           SUM(returned) AS returned
         FROM per_order GROUP BY d),
       who AS (
         SELECT p.period, COUNT(DISTINCT per_order.user_id) AS customers
         FROM per_order JOIN p ON per_order.d = p.d GROUP BY p.period)
       SELECT p.period AS date, SUM(per_day.orders) AS orders, SUM(per_day.items) AS items,
         SUM(per_day.cents) AS cents, SUM(per_day.returned) AS returned,
         MAX(who.customers) AS customers
       FROM per_day JOIN p ON per_day.d = p.d JOIN who ON who.period = p.period
       GROUP BY p.period`,
    )
    .safeIntegers(true);
  const categories = db
    .prepare<{ periods: string; none: string }, CategoryRow>(
      `WITH ${PERIODS},
       per_day AS (
         SELECT f.order_day AS d, COALESCE(f.category, @none) AS category,
           SUM(f.sale_price_cents) AS cents, COUNT(DISTINCT f.order_id) AS orders,
           ${RETURNED} AS returned
         FROM facts f CROSS JOIN ${ORDER_OF('f')} WHERE ${LISTED}
         GROUP BY f.order_day, COALESCE(f.category, @none))
       SELECT per_day.category AS category, p.period AS date, SUM(per_day.cents) AS cents,
         SUM(per_day.orders) AS orders, SUM(per_day.returned) AS returned
       FROM per_day JOIN p ON per_day.d = p.d GROUP BY p.period, per_day.category`,
    )
    .safeIntegers(true);
  // one read transaction: both aggregates see the same facts
  return db.transaction((periods: string) =>
    totalsOfRows(days.all({ periods }), categories.all({ periods, none: NO_CATEGORY })),
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
