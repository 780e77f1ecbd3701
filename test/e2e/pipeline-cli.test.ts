// Issue 4, Done-when 2-5 and 7 through the command line, on small hand-made exports.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bin,
  repoRoot,
  cli,
  csv,
  eventLogOf,
  ITEMS_HEADER,
  ORDERS_HEADER,
  PRODUCTS_HEADER,
  tempDir,
  writeFiles,
  removeTempDirs,
} from './cli-harness.js';

interface KpiJson {
  order_kpis: {
    order_date: string;
    total_orders: number;
    return_rate: number;
    total_revenue: number;
  }[];
  category_kpis: { category: string; order_date: string; avg_return_rate: number }[];
}
const kpisOf = (home: string): KpiJson => JSON.parse(cli(home, 'kpis', '--json').stdout) as KpiJson;

const products = csv(
  PRODUCTS_HEADER,
  'p1,S1,5.00,Beauty,Cream,Acme,10.00,Care',
  'p2,S2,7.00,Toys,Ball,Wonka,14.00,Kids',
);
const order = (id: string, day: string, status = 'delivered', items = 1) =>
  `${id},u${id},${status},2025-03-${day}T10:00:00,,,,${items}`;
const item = (id: string, orderId: string, product = 'p1', price = '10.00') =>
  `${id},${orderId},u${orderId},${product},delivered,,,,,${price}`;

afterAll(removeTempDirs);

describe('shop-pipeline on small exports', () => {
  it('a day whose orders arrive across several files and groups has the KPIs of all of them', () => {
    const home = tempDir('multi-group');
    const dir = tempDir('multi-group-in');
    const [p, o1, i1, o2, i2] = writeFiles(dir, {
      'products.csv': products,
      'orders-a.csv': csv(ORDERS_HEADER, order('1', '05'), order('2', '06')),
      'items-a.csv': csv(ITEMS_HEADER, item('i1', '1'), item('i2', '2')),
      'orders-b.csv': csv(ORDERS_HEADER, order('3', '05', 'returned', 2)),
      'items-b.csv': csv(
        ITEMS_HEADER,
        item('i3', '3', 'p1', '4.00'),
        item('i4', '3', 'p2', '6.00'),
      ),
    }) as [string, string, string, string, string];
    expect(cli(home, 'ingest', p, o1, i1).code).toBe(0);
    expect(cli(home, 'ingest', o2, i2).code).toBe(0);
    const status = JSON.parse(cli(home, 'status', '--json').stdout) as {
      groups: { status: string }[];
    };
    expect(status.groups.map((g) => g.status)).toEqual(['archived', 'archived']);
    const day5 = kpisOf(home).order_kpis.find((k) => k.order_date === '2025-03-05');
    expect(day5).toMatchObject({ total_orders: 2, total_revenue: 20, return_rate: 0.5 });
    const retry = cli(home, 'retry');
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain('no failed or stuck groups');
  });

  it('re-delivering an order as returned updates the KPIs of its date, and only those', () => {
    const home = tempDir('returned');
    const dir = tempDir('returned-in');
    const files = writeFiles(dir, {
      'products.csv': products,
      'orders.csv': csv(ORDERS_HEADER, order('1', '01'), order('2', '02')),
      'items.csv': csv(ITEMS_HEADER, item('i1', '1'), item('i2', '2', 'p2', '14.00')),
    });
    expect(cli(home, 'ingest', ...files).code).toBe(0);
    const before = kpisOf(home);
    const [again] = writeFiles(dir, {
      'orders-fix.csv': csv(ORDERS_HEADER, order('2', '02', 'returned')),
    });
    expect(cli(home, 'ingest', again as string).code).toBe(0);
    const after = kpisOf(home);
    const onDate = <T extends { order_date: string }>(rows: T[], d: string) =>
      rows.filter((r) => r.order_date === d);
    expect(onDate(after.order_kpis, '2025-03-01')).toEqual(onDate(before.order_kpis, '2025-03-01'));
    expect(onDate(after.category_kpis, '2025-03-01')).toEqual(
      onDate(before.category_kpis, '2025-03-01'),
    );
    expect(onDate(after.order_kpis, '2025-03-02')[0]?.return_rate).toBe(1);
    expect(onDate(after.category_kpis, '2025-03-02')[0]?.avg_return_rate).toBe(1);
  });

  it('rejects a file with one invalid row whole (exit 3, report names rule, file, line, key); the fix completes its orders', () => {
    const home = tempDir('reject');
    const dir = tempDir('reject-in');
    const [p, i] = writeFiles(dir, {
      'products.csv': products,
      'items.csv': csv(ITEMS_HEADER, item('i1', '1'), item('i2', '2')),
    }) as [string, string];
    expect(cli(home, 'ingest', p, i).code).toBe(0);
    const [bad] = writeFiles(dir, {
      'orders.csv': csv(ORDERS_HEADER, order('1', '01'), '2,u2,shipped,not-a-date,,,,1'),
    });
    const run = cli(home, 'ingest', bad as string);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /rejected .*orders\.csv.*type\.parse failed 1 time \(first at line 3, key 2/,
    );
    const reportPath = /report: (\S+)/.exec(run.stderr)?.[1] as string;
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
      rules: { rule: string; samples: unknown[] }[];
    };
    expect(report.rules.find((r) => r.rule === 'type.parse')?.samples[0]).toMatchObject({
      file: 'incoming/orders.csv',
      line: 3,
      key: '2',
    });
    expect(kpisOf(home).order_kpis).toEqual([]);
    const [fixed] = writeFiles(dir, {
      'fixed/orders.csv': csv(ORDERS_HEADER, order('1', '01'), order('2', '02', 'shipped')),
    });
    expect(cli(home, 'ingest', fixed as string).code).toBe(0);
    expect(kpisOf(home).order_kpis.map((k) => k.order_date)).toEqual(['2025-03-01', '2025-03-02']);
  });

  it('an order missing one of its items stays pending, and status says what it lacks', () => {
    const home = tempDir('pending');
    const dir = tempDir('pending-in');
    const files = writeFiles(dir, {
      'products.csv': products,
      'orders.csv': csv(ORDERS_HEADER, order('1', '01', 'delivered', 3), order('2', '01')),
      'items.csv': csv(ITEMS_HEADER, item('i1', '1'), item('i2', '1', 'p9'), item('i3', '2')),
    });
    expect(cli(home, 'ingest', ...files).code).toBe(0);
    const status = cli(home, 'status');
    expect(status.stdout).toMatch(/Pending orders: 1/);
    expect(status.stdout).toMatch(/│ 1\s+│ 1 of 3 items \(2 landed\); products p9/);
    expect(status.stdout).toMatch(/Stale orders \(pending > 24 h\): none/);
    // with a stale age of ~0.4 s, the same pending order is reported stale
    const stale = cli(home, '--stale-hours', '0.0001', 'status', '--json');
    expect(JSON.parse(stale.stdout)).toMatchObject({ stale: ['1'], stale_hours: 0.0001 });
    expect(cli(home, '--stale-hours', 'soon', 'status').code).toBe(2);
    expect(kpisOf(home).order_kpis).toMatchObject([{ order_date: '2025-03-01', total_orders: 1 }]);
    const replay = cli(home, 'replay');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/pending orders \(1\) equal the live projections/);
  });

  it('watch lands files as they appear and stops cleanly on SIGTERM', async () => {
    const home = tempDir('watch');
    const dir = tempDir('watch-in');
    const child = spawn(process.execPath, [bin, '--home', home, 'watch', dir], { cwd: repoRoot });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 600 && !cond(); i++) await new Promise((r) => setTimeout(r, 50));
    };
    await until(() => stderr.includes('watching'));
    writeFiles(dir, {
      'products.csv': products,
      'orders/o.csv': csv(ORDERS_HEADER, order('1', '03')),
      'order_items/i.csv': csv(ITEMS_HEADER, item('i1', '1')),
    });
    await until(() => (stderr.match(/^landed /gm) ?? []).length >= 3);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(kpisOf(home).order_kpis).toMatchObject([{ order_date: '2025-03-03', total_orders: 1 }]);
  });

  it('demo lands a shuffled sample, prints KPI tables and where the state lives; again changes nothing', async () => {
    const home = tempDir('demo');
    const first = cli(home, 'demo', '--orders', '60', '--seed', '5');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Order KPIs per day');
    expect(first.stdout).toContain('Category KPIs per day');
    expect(first.stdout).toContain(join(home, 'state.db'));
    const log = await eventLogOf(home);
    const kpis = kpisOf(home);
    expect(kpis.order_kpis.length).toBeGreaterThan(3);
    const again = cli(home, 'demo', '--orders', '60', '--seed', '5');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/landed 0 file\(s\), 8 already landed/);
    expect(await eventLogOf(home)).toEqual(log);
    expect(kpisOf(home)).toEqual(kpis);
  });

  it('usage errors exit 2; --help shows examples', () => {
    const home = tempDir('usage');
    expect(cli(home, 'kpis', '--date', 'yesterday').code).toBe(2);
    expect(cli(home, 'ingest', join(home, 'nope.csv')).code).toBe(2);
    expect(cli(home, 'frobnicate').code).toBe(2);
    const notADir = join(home, 'state-file');
    writeFiles(home, { 'state-file': 'x' });
    const onFile = cli(notADir, 'status');
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toMatch(/^error: --home .*state-file is a file, not a folder/m);
    expect(onFile.stderr).not.toMatch(/^\s+at /m);
    const help = cli(home, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples (run as');
    const [p] = writeFiles(tempDir('usage-in'), { 'products.csv': products });
    expect(cli(home, 'ingest', p as string).code).toBe(0);
    const unknown = cli(home, 'retry', 'no-such-group');
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('no-such-group: skipped (unknown): no such group');
  });
});
