// Issue 12: money is exact in the stores. The sample shop runs through the embedded pipeline
// (SQLite facts and KPI store, Delta tables); DuckDB then sums the stored facts, read as
// DECIMAL(18,2) from their exact decimal strings, and the Delta order_facts (decimal(18,2)
// Parquet, the live files of the table), and both equal the KPI store to the cent.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { FileSystemObjectStore } from '../../../src/adapters/filesystem/filesystem-object-store.js';
import { openSqlite } from '../../../src/adapters/sqlite/sqlite-database.js';
import { SqliteFactStore } from '../../../src/adapters/sqlite/sqlite-fact-store.js';
import { SqliteKpiStore } from '../../../src/adapters/sqlite/sqlite-kpi-store.js';
import { sampleShop } from '../../../src/domain/sample/sample-shop.js';
import { formatCents } from '../../../src/domain/money.js';
import { deliveryOf, ingest } from '../../../src/entrypoints/cli/ingest.js';
import { localApp } from '../../../src/entrypoints/composition/local.container.js';

const dir = mkdtempSync(join(tmpdir(), 'kpis-duckdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csvField = (s: string): string => `"${s.replaceAll('"', '""')}"`;

describe('KPI store against DuckDB over the same facts', () => {
  it('agrees to the cent on every day (revenue, orders, items, customers, returns)', async () => {
    const shop = sampleShop({ orders: 400, seed: 12, days: 5 });
    const input = join(dir, 'in');
    const files: string[] = [];
    for (const [name, lines] of [
      ['products', shop.products],
      ['orders', shop.orders],
      ['order_items', shop.orderItems],
    ] as const) {
      mkdirSync(join(input, name), { recursive: true });
      const path = join(input, name, `${name}.csv`);
      writeFileSync(path, `${[...lines].join('\n')}\n`);
      files.push(path);
    }
    const home = join(dir, 'home');
    const app = localApp({ home, logLevel: 'silent' });
    await ingest(app, files.map(deliveryOf));
    await app.close();

    const db = openSqlite(join(home, 'state.db'));
    const stored = await new SqliteKpiStore(db).queryTotals();
    const dates = stored.days.map((d) => d.date);
    const facts = await new SqliteFactStore(db).forDates(dates);
    db.close();
    expect(dates.length).toBe(5);
    expect(facts.length).toBeGreaterThan(400);

    // the facts as text, money as the exact decimal string of its cents
    const csv = join(dir, 'facts.csv');
    writeFileSync(
      csv,
      [
        'order_date,order_id,user_id,status,sale_price',
        ...facts.map((f) =>
          [
            new Date(f.orderCreatedAt).toISOString().slice(0, 10),
            csvField(f.orderId),
            csvField(f.userId),
            f.orderStatus,
            formatCents(f.salePriceCents),
          ].join(','),
        ),
      ].join('\n'),
    );
    const duck = await DuckDBInstance.create(':memory:');
    const conn = await duck.connect();
    const rows = (
      await conn.runAndReadAll(
        `SELECT order_date, CAST(SUM(CAST(sale_price AS DECIMAL(18,2))) AS VARCHAR),
                COUNT(DISTINCT order_id), COUNT(*), COUNT(DISTINCT user_id),
                COUNT(DISTINCT CASE WHEN status = 'returned' THEN order_id END)
           FROM read_csv('${csv.replaceAll("'", "''")}', header = true, all_varchar = true)
          GROUP BY order_date ORDER BY order_date`,
      )
    ).getRows();
    // the Delta copy: only the files the table's log holds now (older versions stay on disk)
    const bucket = join(home, 'bucket');
    const snapshot = await new DeltaAnalyticsTables(
      new FileSystemObjectStore(bucket),
    ).orderFacts.snapshot();
    const live = [...(snapshot?.files.values() ?? [])].map(
      (f) =>
        `'${join(bucket, 'delta', 'order_facts', decodeURIComponent(f.path)).replaceAll("'", "''")}'`,
    );
    expect(live.length).toBeGreaterThan(0);
    const delta = (
      await conn.runAndReadAll(
        `SELECT typeof(sale_price), CAST(order_date AS VARCHAR) AS d, CAST(SUM(sale_price) AS VARCHAR)
           FROM read_parquet([${live.join(', ')}], hive_partitioning = true)
          GROUP BY ALL ORDER BY d`,
      )
    ).getRows();
    conn.closeSync();
    duck.closeSync();
    expect(delta.map((r) => [String(r[0]), String(r[1]), String(r[2])])).toEqual(
      stored.days.map((d) => ['DECIMAL(18,2)', d.date, formatCents(d.revenueCents)]),
    );

    expect(
      rows.map((r) => ({
        date: String(r[0]),
        revenue: String(r[1]),
        orders: Number(r[2]),
        items: Number(r[3]),
        customers: Number(r[4]),
        returnedOrders: Number(r[5]),
      })),
    ).toEqual(
      stored.days.map((d) => ({
        date: d.date,
        revenue: formatCents(d.revenueCents),
        orders: d.orders,
        items: d.items,
        customers: d.customers,
        returnedOrders: d.returnedOrders,
      })),
    );
  }, 180_000);
});
