// The KPI rows of the Delta tables as an outside reader sees them: the active files of each
// table (from our log replay) read by DuckDB's read_parquet, the partition column from the path.
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { FileSystemObjectStore } from '../src/adapters/filesystem/filesystem-object-store.js';
import { loadSnapshot } from '../src/adapters/delta/delta-snapshot.js';
import type { CategoryKpi, KpiSet, OrderKpi } from '../src/domain/kpi/kpi.types.js';

const quoted = (path: string): string => `'${path.replaceAll("'", "''")}'`;

async function activeFiles(bucket: string, table: string): Promise<string[]> {
  const root = `delta/${table}`;
  const snapshot = await loadSnapshot(new FileSystemObjectStore(bucket), root);
  return [...snapshot.files.keys()].map((p) => join(bucket, root, decodeURIComponent(p)));
}

export async function deltaKpis(home: string): Promise<KpiSet & { files: number }> {
  const bucket = join(home, 'bucket');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const read = async (
      table: string,
      columns: string,
    ): Promise<{ rows: unknown[][]; files: number }> => {
      const files = await activeFiles(bucket, table);
      const list = `[${files.map(quoted).join(', ')}]`;
      const sql = `SELECT ${columns} FROM read_parquet(${list}, hive_partitioning = true)`;
      return { rows: (await conn.runAndReadAll(sql)).getRows(), files: files.length };
    };
    const o = await read(
      'order_kpis_daily',
      `CAST(order_date AS VARCHAR), total_orders, CAST(total_revenue AS VARCHAR),
       total_items_sold, return_rate, unique_customers`,
    );
    const c = await read(
      'category_kpis',
      `category, CAST(order_date AS VARCHAR), CAST(daily_revenue AS VARCHAR),
       CAST(avg_order_value AS VARCHAR), avg_return_rate`,
    );
    const n = (v: unknown): number => Number(v);
    const order: OrderKpi[] = o.rows.map((r) => ({
      order_date: String(r[0]),
      total_orders: n(r[1]),
      total_revenue: n(r[2]),
      total_items_sold: n(r[3]),
      return_rate: n(r[4]),
      unique_customers: n(r[5]),
    }));
    const category: CategoryKpi[] = c.rows.map((r) => ({
      category: String(r[0]),
      order_date: String(r[1]),
      daily_revenue: n(r[2]),
      avg_order_value: n(r[3]),
      avg_return_rate: n(r[4]),
    }));
    return { order, category, files: o.files + c.files };
  } finally {
    conn.closeSync();
  }
}
