// Issue 13 point 8: KPI exports and roll-ups, settings from a config file and the environment,
// and validation rules a user can tune (a rules file validated by its codec).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bin,
  cli,
  csv,
  ITEMS_HEADER,
  ORDERS_HEADER,
  PRODUCTS_HEADER,
  removeTempDirs,
  tempDir,
  writeFiles,
} from './cli-harness.js';

afterAll(removeTempDirs);

const order = (id: string, date: string, status = 'delivered', user = `u${id}`) =>
  `${id},${user},${status},${date}T10:00:00,,,,1`;
const item = (id: string, orderId: string, price: string, user = `u${orderId}`) =>
  `${id},${orderId},${user},p1,delivered,,,,,${price}`;

// 2025-03-03 is a Monday: days 03 and 04 share a week, 10 starts the next one.
// Day 03: 1 order of 3 returned (rate 1/3); day 04: 1 of 1 returned (rate 1).
// The week's rate is 2/4 = 0.5, not the mean of the daily rates (0.667).
// Customer u1 orders on 03 and 04: one customer of that week, though each day counts them.
const shop = () =>
  writeFiles(tempDir('shop-in'), {
    'products.csv': csv(PRODUCTS_HEADER, 'p1,S1,5.00,Beauty,Cream,,10.00,Care'),
    'orders.csv': csv(
      ORDERS_HEADER,
      order('1', '2025-03-03', 'returned'),
      order('2', '2025-03-03'),
      order('3', '2025-03-03'),
      order('4', '2025-03-04', 'returned', 'u1'),
      order('5', '2025-03-10'),
    ),
    'items.csv': csv(
      ITEMS_HEADER,
      item('i1', '1', '0.10'),
      item('i2', '2', '0.20'),
      item('i3', '3', '10.01'),
      item('i4', '4', '5.00', 'u1'),
      item('i5', '5', '1.00'),
    ),
  });

/** a home holding the shop, landed with the brand rule relaxed (products.csv has no brand) */
const landedHome = (): { home: string; rules: string } => {
  const home = tempDir('exports');
  const rules = join(tempDir('rules'), 'rules.json');
  writeFileSync(rules, JSON.stringify({ products: { 'required.not-null': { brand: 'warn' } } }));
  const r = cli(home, '--rules', rules, 'ingest', ...shop());
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/warning .*products\.csv: required\.not-null x1/);
  return { home, rules };
};

describe('KPI exports, settings and validation rules', () => {
  it('rolls days up into weeks and months from the facts: distinct customers, exact averages', () => {
    const { home } = landedHome();
    const daily = JSON.parse(cli(home, 'kpis', '--json').stdout) as {
      order_kpis: { unique_customers: number }[];
    };
    // the daily rows count u1 on both days
    expect(daily.order_kpis.map((d) => d.unique_customers)).toEqual([3, 1, 1]);
    const week = JSON.parse(cli(home, 'kpis', '--by', 'week', '--totals', '--json').stdout) as {
      order_kpis: Record<string, unknown>[];
      category_kpis: Record<string, unknown>[];
      totals: Record<string, unknown>;
    };
    expect(week.order_kpis).toEqual([
      {
        week: '2025-03-03',
        total_orders: 4,
        total_revenue: 15.31,
        total_items_sold: 4,
        return_rate: 0.5,
        unique_customers: 3,
      },
      {
        week: '2025-03-10',
        total_orders: 1,
        total_revenue: 1,
        total_items_sold: 1,
        return_rate: 0,
        unique_customers: 1,
      },
    ]);
    // 1531 cents over 4 orders is 382.75 cents: 3.83, not a mean of the daily averages
    expect(week.category_kpis[0]).toEqual({
      category: 'Beauty',
      week: '2025-03-03',
      daily_revenue: 15.31,
      avg_order_value: 3.83,
      avg_return_rate: 0.5,
    });
    expect(week.totals).toEqual({
      week: 'total',
      total_orders: 5,
      total_revenue: 16.31,
      total_items_sold: 5,
      return_rate: 0.4,
      unique_customers: 4,
    });
    const month = cli(home, 'kpis', '--by', 'month', '--format', 'csv');
    expect(month.stdout.split('\n').slice(0, 2)).toEqual([
      'month,total_orders,total_revenue,total_items_sold,return_rate,unique_customers',
      '2025-03,5,16.31,5,0.4,4',
    ]);
    const categories = cli(home, 'kpis', '--by', 'month', '--kind', 'category', '--format', 'csv');
    expect(categories.stdout.split('\n').slice(0, 2)).toEqual([
      'category,month,daily_revenue,avg_order_value,avg_return_rate',
      'Beauty,2025-03,16.31,3.26,0.4',
    ]);
    // one day selected: its week is that day's facts alone
    const oneDay = JSON.parse(
      cli(home, 'kpis', '--by', 'week', '--date', '2025-03-04', '--json').stdout,
    ) as { order_kpis: Record<string, unknown>[] };
    expect(oneDay.order_kpis).toMatchObject([{ week: '2025-03-03', total_orders: 1 }]);
    // the Delta tables give the same roll-up
    expect(
      cli(home, 'kpis', '--by', 'week', '--totals', '--json', '--source', 'delta').stdout,
    ).toBe(cli(home, 'kpis', '--by', 'week', '--totals', '--json').stdout);
  });

  it('writes CSV, JSON and Parquet files that DuckDB reads back to the cent', async () => {
    const { home } = landedHome();
    const dir = tempDir('out');
    expect(cli(home, 'kpis', '--format', 'csv', '--out', join(dir, 'k.csv')).code).toBe(0);
    expect(readFileSync(join(dir, 'k.csv'), 'utf8')).toContain('2025-03-03,3,10.31,3,');
    expect(cli(home, 'kpis', '--format', 'parquet').code).toBe(2);
    const p = cli(
      home,
      'kpis',
      '--format',
      'parquet',
      '--kind',
      'category',
      '--out',
      join(dir, 'c.parquet'),
    );
    expect(p.code, p.stderr).toBe(0);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (
      await db.runAndReadAll(
        `SELECT order_date, daily_revenue_cents FROM read_parquet('${join(dir, 'c.parquet')}') ORDER BY 1`,
      )
    ).getRowObjectsJson();
    expect(rows).toEqual([
      { order_date: '2025-03-03', daily_revenue_cents: '1031' },
      { order_date: '2025-03-04', daily_revenue_cents: '500' },
      { order_date: '2025-03-10', daily_revenue_cents: '100' },
    ]);
  });

  it('takes every global option from a config file or the environment, the command line first', () => {
    const { home, rules } = landedHome();
    const cwd = tempDir('config-cwd');
    writeFileSync(join(cwd, 'shop-pipeline.config.json'), JSON.stringify({ home, rules }));
    const run = (env: Record<string, string>, ...args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
    expect(run({}, 'kpis', '--json').status).toBe(0);
    expect(run({}, 'rules').stdout).toMatch(
      /products\s+│ required\.not-null\s+│ error │ brand: warn/,
    );
    expect(run({ SHOP_PIPELINE_HOME: join(cwd, 'nowhere') }, 'kpis').status).toBe(2);
    expect(run({ SHOP_PIPELINE_HOME: join(cwd, 'nowhere') }, '--home', home, 'kpis').status).toBe(
      0,
    );
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify({ hme: 'x' }));
    const bad = run({ SHOP_PIPELINE_CONFIG: join(cwd, 'bad.json') }, 'status');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown setting(s) hme');
  });

  it('a rules file is checked: unknown datasets, rules, columns and levels are refused (exit 2)', () => {
    const home = tempDir('rules-bad');
    const file = join(home, 'rules.json');
    writeFileSync(
      file,
      JSON.stringify({
        shops: {},
        products: { 'required.not-null': { colour: 'off' }, 'domain.order-status': 'warn' },
        orders: { 'unique.key': 'sometimes' },
      }),
    );
    const r = cli(home, '--rules', file, 'rules');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"sometimes"');
    writeFileSync(
      file,
      JSON.stringify({
        shops: {},
        products: { 'required.not-null': { colour: 'off' }, 'domain.order-status': 'warn' },
      }),
    );
    const names = cli(home, '--rules', file, 'rules');
    expect(names.code).toBe(2);
    expect(names.stderr).toContain('unknown dataset "shops"');
    expect(names.stderr).toContain('unknown column "colour"');
    expect(names.stderr).toContain('unknown rule "domain.order-status"');
  });

  it('the same bytes rejected under the seed rules land under relaxed rules (issue 12.1)', () => {
    const home = tempDir('rules-reland');
    const files = shop();
    expect(cli(home, 'ingest', ...files).code).toBe(3);
    const rules = join(tempDir('rules2'), 'rules.json');
    writeFileSync(rules, JSON.stringify({ products: { 'required.not-null': { brand: 'off' } } }));
    const again = cli(home, '--rules', rules, 'ingest', ...files);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/landed 1 file\(s\), 2 already landed/);
    expect(cli(home, 'kpis', '--json').code).toBe(0);
  });
});
