// The KPI totals of some dates, aggregated by SQLite over the facts table (GROUP BY, integer
// cents summed as 64-bit integers, distinct orders and users counted in SQL): no fact is read
// into JS, only one row per date comes back. Proven equal to the domain's totalKpis by
// test/contract/fact-store.contract.ts and test/unit/sqlite/sqlite-kpi-totals.test.ts.
import { NO_CATEGORY } from '../../domain/kpi/compute-kpis.js';
import { sortTotals } from '../../domain/kpi/kpi-totals.js';
import type { KpiTotals } from '../../domain/kpi/kpi.types.js';
import type Database from 'better-sqlite3';
import type { SqliteDb } from './sqlite-database.js';

/**
 * The order's row of facts_orders, as `o`, of the fact `f` (its customer, status and time:
 * schema step 14). After CROSS JOIN: the facts lead, one key seek each.
 */
export const ORDER_OF = (f: string): string =>
  `facts_orders AS o ON o.order_id = ${f}.order_id AND o.order_day = ${f}.order_day`;

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

const RETURNED = `COUNT(DISTINCT CASE WHEN o.order_status = 'returned' THEN f.order_id END)`;
// facts hold a UTC day number (schema step 8); dates go in and come out as YYYY-MM-DD
const LISTED = 'f.order_day IN (SELECT unixepoch(value) / 86400 FROM json_each(@dates))';
const DATE = `date(f.order_day * 86400, 'unixepoch')`;

/** the listed dates' categories: a name each (NULL as NO_CATEGORY), found by one scan */
const categoriesSql = `SELECT DISTINCT COALESCE(category, @none) FROM facts AS f WHERE ${LISTED}
  LIMIT @limit`;

/**
 * One pass over the listed dates' facts, along the key (order_day, order_id, item_id) and without
 * any sort, feeding both the day rows and the category rows. The inner GROUP BY order_day,
 * order_id follows the key: one row per order and day with its items, cents, returned flag and
 * and its cents in each category (`c<i>`, NULL when the order has no item in category i; a
 * FILTER clause steps the sum only on the rows of that category). Each of those rows then finds
 * its order's row of facts_orders (its customer and status, schema step 14) by one key seek:
 * CROSS JOIN keeps the inner rows as the outer loop, in the key's order. The outer GROUP BY
 * order_day reads them in that order (the inner ORDER BY is the key, so no temporary B-tree),
 * counts orders with COUNT(*), and an order in category i as a non-NULL `c<i>`: no
 * COUNT(DISTINCT) but the customers'. The facts of one order and day share its customer and
 * status (a replace writes an order's facts whole, from one joined order); the domain
 * (totalKpis) states the same rule.
 */
const onePassSql = (categories: number): string => {
  const inOrder = Array.from(
    { length: categories },
    (_, i) => `SUM(sale_price_cents) FILTER (WHERE COALESCE(category, @none) = @k${i}) AS c${i}`,
  );
  const inDay = Array.from(
    { length: categories },
    (_, i) =>
      `COUNT(c${i}) AS o${i}, SUM(c${i}) AS c${i},
        COUNT(c${i}) FILTER (WHERE o.order_status = 'returned') AS r${i}`,
  );
  return `SELECT ${DATE} AS date, COUNT(*) AS orders, SUM(items) AS items, SUM(cents) AS cents,
      SUM(o.order_status = 'returned') AS returned, COUNT(DISTINCT o.user_id) AS customers${inDay.map((c) => `, ${c}`).join('')}
    FROM (SELECT order_day, order_id, COUNT(*) AS items, SUM(sale_price_cents) AS cents${inOrder.map((c) => `, ${c}`).join('')}
      FROM facts AS f WHERE ${LISTED} GROUP BY order_day, order_id ORDER BY order_day, order_id) AS f
    CROSS JOIN ${ORDER_OF('f')}
    GROUP BY f.order_day`;
};

/** a day's row of the one-pass aggregate: the day's columns, then o<i>, c<i>, r<i> per category */
type OnePassRow = DayRow & Record<string, bigint | string | null>;

/** the one-pass rows as the day and category rows of the two-query form (a category row only
 *  where the day has an order in it, as GROUP BY makes them) */
const rowsOfOnePass = (
  rows: readonly OnePassRow[],
  categories: readonly string[],
): { days: readonly DayRow[]; categories: readonly CategoryRow[] } => ({
  days: rows,
  categories: rows.flatMap((r) =>
    categories.flatMap((category, i): CategoryRow[] => {
      const orders = r[`o${i}`] as bigint;
      return orders === 0n
        ? []
        : [
            {
              category,
              date: r.date,
              orders,
              cents: r[`c${i}`] as bigint,
              returned: r[`r${i}`] as bigint,
            },
          ];
    }),
  ),
});

export interface KpiTotalsOptions {
  /** above this many categories on the listed dates (the one pass's cost grows with each), the
   *  category rows come from their own GROUP BY (a sort of the facts, COUNT(DISTINCT) orders) and
   *  the day rows from the one pass without categories; 0: that form always (tests, bench) */
  maxCategories?: number;
}

/** up to 16 categories (the generated data has 8). Each category costs a FILTER test per fact
 *  and three aggregate steps per order: at 1M facts ~0.04-0.07 CPU s a category, so the one pass
 *  (~1.1 s at 8) costs about what the GROUP BY form does at 32 (docs/performance.md, round 6). */
export const MAX_ONE_PASS_CATEGORIES = 16;

export const kpiTotalsQuery = (db: SqliteDb, options: KpiTotalsOptions = {}) => {
  const maxCategories = options.maxCategories ?? MAX_ONE_PASS_CATEGORIES;
  // safeIntegers: a sum beyond 2^53 cents comes back exact, as a bigint
  const categories = db
    .prepare<{ dates: string; none: string }, CategoryRow>(
      `SELECT COALESCE(f.category, @none) AS category, ${DATE} AS date,
         SUM(f.sale_price_cents) AS cents, COUNT(DISTINCT f.order_id) AS orders,
         ${RETURNED} AS returned
       FROM facts AS f CROSS JOIN ${ORDER_OF('f')}
       WHERE ${LISTED} GROUP BY f.order_day, COALESCE(f.category, @none)`,
    )
    .safeIntegers(true);
  // the scan stops at the first category past the limit: the one pass will not run then
  const categoriesOf = db
    .prepare<{ dates: string; none: string; limit: number }, string>(categoriesSql)
    .pluck();
  // the one-pass statement for a number of categories, prepared on first use
  const onePass = new Map<number, Database.Statement<Record<string, string>, OnePassRow>>();
  const onePassOf = (n: number) => {
    let statement = onePass.get(n);
    if (statement === undefined) {
      statement = db.prepare<Record<string, string>, OnePassRow>(onePassSql(n)).safeIntegers(true);
      onePass.set(n, statement);
    }
    return statement;
  };
  // one read transaction: the categories and the aggregates see the same facts
  return db.transaction((dates: readonly string[]): KpiTotals => {
    const listed = JSON.stringify([...new Set(dates)]);
    const params: Record<string, string> & { dates: string; none: string } = {
      dates: listed,
      none: NO_CATEGORY,
    };
    // maxCategories 0: no scan for the categories, the category query at once
    const names =
      maxCategories > 0
        ? categoriesOf.all({ dates: listed, none: NO_CATEGORY, limit: maxCategories + 1 })
        : [];
    if (maxCategories <= 0 || names.length > maxCategories)
      // too many categories for one pass: the day rows by the one pass without categories (no
      // sort), the category rows by their GROUP BY (a sort, and COUNT(DISTINCT) of orders)
      return totalsOfRows(onePassOf(0).all(params), categories.all(params));
    names.forEach((name, i) => (params[`k${i}`] = name));
    const rows = rowsOfOnePass(onePassOf(names.length).all(params), names);
    return totalsOfRows(rows.days, rows.categories);
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
