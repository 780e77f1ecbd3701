// The KPIs of docs/kpis.md computed by DuckDB straight from the bench CSVs: the independent
// reference `npm run bench` checks the embedded pipeline against.
import { DuckDBInstance } from '@duckdb/node-api';
import type { CategoryKpi, KpiSet, OrderKpi } from '../src/domain/kpi/kpi.types.js';

const quoted = (path: string): string => `'${path.replaceAll("'", "''")}'`;

// Every column is read as text and typed here, so nothing depends on DuckDB's CSV sniffer.
// Timestamps: TIMESTAMPTZ with the session in UTC reads 'Z', '+02:00', '+0200' and ' UTC' as
// the pipeline does, and a timestamp without a zone as UTC. Money: DECIMAL(18,2) to exact cents.
const setup = (files: { orders: string; items: string; products: string }): string[] => [
  "SET TimeZone = 'UTC'",
  `CREATE TABLE orders AS
     SELECT order_id, user_id, lower(status) AS status,
            TRY_CAST(created_at AS TIMESTAMPTZ) AS created_at,
            CAST(num_of_item AS INTEGER) AS num_of_item
       FROM read_csv(${quoted(files.orders)}, header = true, all_varchar = true)`,
  `CREATE TABLE items AS
     SELECT id, order_id, product_id,
            CAST(CAST(sale_price AS DECIMAL(18,2)) * 100 AS BIGINT) AS cents
       FROM read_csv(${quoted(files.items)}, header = true, all_varchar = true)`,
  `CREATE TABLE products AS
     SELECT id, coalesce(nullif(category, ''), '(none)') AS category
       FROM read_csv(${quoted(files.products)}, header = true, all_varchar = true)`,
  // processed orders: complete (exactly num_of_item items, every product known)
  `CREATE TABLE facts AS
     WITH per_order AS (
       SELECT i.order_id, count(*) AS n, count(p.id) AS with_product
         FROM items i LEFT JOIN products p ON p.id = i.product_id GROUP BY i.order_id)
     SELECT o.order_id, o.user_id, o.status,
            DATE '1970-01-01' + CAST(floor(epoch_ms(o.created_at) / 86400000) AS INTEGER) AS day,
            i.id AS item_id, i.cents, p.category
       FROM orders o
       JOIN per_order c ON c.order_id = o.order_id
                       AND c.n = o.num_of_item AND c.with_product = c.n
       JOIN items i ON i.order_id = o.order_id
       JOIN products p ON p.id = i.product_id`,
];

const ORDER_KPIS = `
  SELECT strftime(day, '%Y-%m-%d') AS order_date,
         count(DISTINCT order_id) AS total_orders,
         sum(cents) AS revenue_cents,
         count(*) AS items,
         count(DISTINCT CASE WHEN status = 'returned' THEN order_id END) AS returned,
         count(DISTINCT user_id) AS customers
    FROM facts GROUP BY day ORDER BY day`;

const CATEGORY_KPIS = `
  SELECT category, strftime(day, '%Y-%m-%d') AS order_date,
         sum(cents) AS revenue_cents,
         count(DISTINCT order_id) AS orders,
         count(DISTINCT CASE WHEN status = 'returned' THEN order_id END) AS returned
    FROM facts GROUP BY category, day ORDER BY day, category`;

/** a / b in cents rounded half away from zero, as the pipeline reports avg_order_value */
const centsPer = (cents: number, count: number): number =>
  count === 0 ? 0 : (Math.sign(cents) * Math.round(Math.abs(cents) / count)) / 100;

export interface DuckDbKpis extends KpiSet {
  readonly seconds: number;
  /** orders whose created_at DuckDB could not read (must be 0 for the check to mean anything) */
  readonly unparsedTimestamps: number;
  readonly facts: number;
}

export async function duckDbKpis(files: {
  orders: string;
  items: string;
  products: string;
}): Promise<DuckDbKpis> {
  const t = performance.now();
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    for (const sql of setup(files)) await conn.run(sql);
    const num = (v: unknown): number => Number(v);
    const order: OrderKpi[] = (await conn.runAndReadAll(ORDER_KPIS)).getRows().map((r) => ({
      order_date: String(r[0]),
      total_orders: num(r[1]),
      total_revenue: num(r[2]) / 100,
      total_items_sold: num(r[3]),
      return_rate: num(r[4]) / num(r[1]),
      unique_customers: num(r[5]),
    }));
    const category: CategoryKpi[] = (await conn.runAndReadAll(CATEGORY_KPIS))
      .getRows()
      .map((r) => ({
        category: String(r[0]),
        order_date: String(r[1]),
        daily_revenue: num(r[2]) / 100,
        avg_order_value: centsPer(num(r[2]), num(r[3])),
        avg_return_rate: num(r[4]) / num(r[3]),
      }));
    const scalar = async (sql: string): Promise<number> =>
      num((await conn.runAndReadAll(sql)).getRows()[0]?.[0]);
    const unparsedTimestamps = await scalar('SELECT count(*) FROM orders WHERE created_at IS NULL');
    const facts = await scalar('SELECT count(*) FROM facts');
    return {
      order,
      category,
      unparsedTimestamps,
      facts,
      seconds: (performance.now() - t) / 1000,
    };
  } finally {
    conn.closeSync();
  }
}
