// Issue 13 (a new user's first hour) and issue 12 point 1 (a rejected file can be landed again
// under another policy or rules), through the command line on small hand-made exports.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bin,
  cli,
  csv,
  eventLogOf,
  ITEMS_HEADER,
  ORDERS_HEADER,
  PRODUCTS_HEADER,
  removeTempDirs,
  repoRoot,
  tempDir,
  writeFiles,
} from './cli-harness.js';

afterAll(removeTempDirs);

const order = (id: string, day: string, status = 'delivered') =>
  `${id},u${id},${status},2025-03-${day}T10:00:00,,,,1`;
const item = (id: string, orderId: string, product = 'p1', price = '10.00') =>
  `${id},${orderId},u${orderId},${product},delivered,,,,,${price}`;

/** a shop whose products.csv has one product without a brand (required.not-null) */
const shopWithBadProduct = (): string => {
  const dir = tempDir('bad-product-in');
  writeFiles(dir, {
    'products.csv': csv(
      PRODUCTS_HEADER,
      'p1,S1,5.00,Beauty,Cream,Acme,10.00,Care',
      'p2,S2,7.00,Toys,Ball,,14.00,Kids',
    ),
    'orders/orders.csv': csv(
      ORDERS_HEADER,
      order('1', '03'),
      order('2', '03', 'returned'),
      order('10', '04'),
    ),
    'order_items/items.csv': csv(
      ITEMS_HEADER,
      item('i1', '1'),
      item('i2', '2', 'p2', '14.00'),
      item('i3', '10', 'p1', '0.10'),
    ),
  });
  return dir;
};

const run = (cwd: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('the first hour of a new user', () => {
  it('1. the demo keeps its own home and refuses to mix into one holding other data', () => {
    const cwd = tempDir('demo-cwd');
    const demo = run(cwd, 'demo', '--orders', '20');
    expect(demo.code, demo.stderr).toBe(0);
    expect(existsSync(join(cwd, '.shop-pipeline-demo', 'state.db'))).toBe(true);
    expect(existsSync(join(cwd, '.shop-pipeline'))).toBe(false);
    expect(demo.stdout).toContain('npx shop-pipeline --home ./.shop-pipeline-demo status');
    const real = tempDir('real-home');
    const [p] = writeFiles(tempDir('real-in'), {
      'products.csv': csv(PRODUCTS_HEADER, 'p1,S1,5.00,Beauty,Cream,Acme,10.00,Care'),
    });
    expect(cli(real, 'ingest', p as string).code).toBe(0);
    const mixed = cli(real, 'demo', '--orders', '20');
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/holds other data: the demo would mix its sample shop into it/);
  });

  it('2. a rejection says how many orders wait on it and the ways on; status names the file; quarantine-rows then lands it (issue 12.1)', async () => {
    const home = tempDir('rejected');
    const dir = shopWithBadProduct();
    const first = cli(home, 'ingest', dir);
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(/rejected .*products\.csv: required\.not-null failed 1 time/);
    expect(first.stderr).toContain(
      '3 pending order(s) wait for products rows, which this file holds',
    );
    expect(first.stderr).toContain(
      `npx shop-pipeline --policy quarantine-rows ingest ${join(dir, 'products.csv')}`,
    );
    expect(first.stderr).toContain('fix the rows named in the report and land the corrected file');
    const status = cli(home, 'status');
    expect(status.stdout).toMatch(/products p1.*\(rejected: incoming\/products\.csv\)/);
    const statusJson = JSON.parse(cli(home, 'status', '--json').stdout) as {
      pending: { order_id: string; waits_on_rejected: string[] }[];
    };
    expect(statusJson.pending.map((p) => p.order_id)).toEqual(['1', '2', '10']);
    expect(statusJson.pending[0]?.waits_on_rejected).toEqual(['incoming/products.csv']);
    // the same policy again: the rejection stands (no second verdict)
    const again = cli(home, 'ingest', dir);
    expect(again.stderr).toMatch(/landed 0 file\(s\), 3 already landed/);
    // another policy judges the same bytes anew
    const quarantine = cli(home, '--policy', 'quarantine-rows', 'ingest', dir);
    expect(quarantine.code).toBe(3);
    expect(quarantine.stderr).toMatch(/landed 1 file\(s\), 2 already landed/);
    expect(quarantine.stderr).toMatch(
      /set aside 1 row\(s\) of .*products\.csv: required\.not-null x1/,
    );
    const kpis = JSON.parse(cli(home, 'kpis', '--json').stdout) as {
      order_kpis: { order_date: string; total_orders: number }[];
    };
    // order 2's product p2 was set aside: orders 1 and 10 complete
    expect(kpis.order_kpis.map((k) => [k.order_date, k.total_orders])).toEqual([
      ['2025-03-03', 1],
      ['2025-03-04', 1],
    ]);
    const log = await eventLogOf(home);
    expect(log.filter((l) => / File(Rejected|Landed)$/.test(l) && l.includes('#2'))).toHaveLength(
      1,
    );
    expect(cli(home, 'replay').code).toBe(0);
  });

  it('2b. kpis on an empty result says why and exits 4', () => {
    const home = tempDir('empty-kpis');
    cli(home, 'ingest', shopWithBadProduct());
    const empty = cli(home, 'kpis');
    expect(empty.code).toBe(4);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/no KPIs in .* yet: no order has been processed/);
  });

  it('3. a mistyped --home errors (exit 2) without creating a home; --home on a file exits 2', () => {
    const base = tempDir('typo');
    for (const command of ['status', 'kpis', 'replay', 'retry']) {
      const r = cli(join(base, 'shop-pipline'), command);
      expect(r.code, command).toBe(2);
      expect(r.stderr).toMatch(/no pipeline state in .*shop-pipline/);
    }
    expect(existsSync(join(base, 'shop-pipline'))).toBe(false);
    writeFileSync(join(base, 'a-file'), 'x');
    expect(cli(join(base, 'a-file'), 'ingest', base).code).toBe(2);
  });

  it('4. --verbose prints JSON progress lines; Ctrl-C says what was interrupted and how to resume', async () => {
    const home = tempDir('verbose');
    const dir = tempDir('verbose-in');
    writeFiles(dir, {
      'products.csv': csv(PRODUCTS_HEADER, 'p1,S1,5.00,Beauty,Cream,Acme,10.00,Care'),
      'orders.csv': csv(ORDERS_HEADER, order('1', '03')),
      'items.csv': csv(ITEMS_HEADER, item('i1', '1')),
    });
    const r = cli(home, '--verbose', 'ingest', dir);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { message: string; step?: string; files_total?: number });
    expect(lines.filter((l) => l.message === 'file done')).toHaveLength(3);
    expect(
      lines.some((l) => l.message === 'step' && /workflow of 1 completed order/.test(l.step ?? '')),
    ).toBe(true);

    const many = tempDir('sigint-in');
    for (let i = 0; i < 40; i++)
      writeFiles(many, { [`orders-${i}.csv`]: csv(ORDERS_HEADER, order(String(100 + i), '05')) });
    const child = spawn(
      process.execPath,
      [bin, '--home', tempDir('sigint'), '--verbose', 'ingest', many],
      {
        cwd: repoRoot,
      },
    );
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (!sent && stderr.includes('"file done"')) sent = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(
      /interrupted during .* file\(s\) done\)\. Run the same command again to resume/,
    );
  });

  it('5. status --json | head ends quietly; dates, categories and ids are checked and sorted', () => {
    const home = tempDir('json');
    const dir = tempDir('json-in');
    writeFiles(dir, {
      'products.csv': csv(PRODUCTS_HEADER, 'p1,S1,5.00,Beauty,Cream,Acme,10.00,Care'),
      'orders.csv': csv(ORDERS_HEADER, order('1', '03'), order('2', '03')),
      'items.csv': csv(ITEMS_HEADER, item('i1', '1'), item('i2', '2')),
    });
    expect(cli(home, 'ingest', dir).code).toBe(0);
    const piped = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${bin}" --home "${home}" status --json --all | head -c 10`],
      {
        encoding: 'utf8',
      },
    );
    expect(piped.stderr).not.toMatch(/EPIPE|at /);
    const json = JSON.parse(cli(home, 'status', '--json').stdout) as Record<string, unknown>;
    const keys = JSON.stringify(json).match(/"[a-zA-Z_]+":/g) ?? [];
    expect(keys.filter((k) => /[A-Z]/.test(k))).toEqual([]);
    expect((json.last_events as { occurred_at: string }[])[0]?.occurred_at).toMatch(
      /^\d{4}-\d\d-\d\dT/,
    );
    expect(cli(home, 'kpis', '--date', '2025-02-30').code).toBe(2);
    const beauty = cli(home, 'kpis', '--category', 'BEAUTY', '--json');
    expect(beauty.code).toBe(0);
    expect(JSON.parse(beauty.stdout).category_kpis).toHaveLength(1);
    const unknown = cli(home, 'kpis', '--category', 'Garden');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown category "Garden"; known categories: "Beauty"');
  });

  it('6. messages: the file named once, hints for ; and near-miss headers, skipped files counted', () => {
    const home = tempDir('hints');
    const dir = tempDir('hints-in');
    writeFiles(dir, {
      'semi.csv': 'order_id;user_id;status\n1;2;shipped\n',
      'near.csv': csv(ORDERS_HEADER.replace('order_id', 'orderid'), order('1', '03')),
      'README.txt': 'not data',
    });
    const r = cli(home, 'ingest', dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('1 non-CSV file(s) skipped');
    expect(r.stderr).toContain('hint: the header is separated by ;');
    expect(r.stderr).toContain('hint: rename column(s) "orderid" -> "order_id"');
    const nearLine =
      r.stderr.split('\n').find((l) => l.startsWith('rejected ') && l.includes('near.csv')) ?? '';
    expect(nearLine.split('near.csv').length - 1).toBe(1);
  });

  it('7. --version, global options in subcommand help, generate refuses a non-empty folder', () => {
    const version = run(repoRoot, '--version');
    expect(version.stdout.trim()).toBe(
      (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
        .version,
    );
    expect(run(repoRoot, 'kpis', '--help').stdout).toMatch(/Global Options:[\s\S]*--home/);
    const out = tempDir('generate');
    expect(run(repoRoot, 'generate', '--out', out).code).toBe(0);
    const again = run(repoRoot, 'generate', '--out', out);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('is not empty');
    expect(run(repoRoot, 'generate', '--out', out, '--force').code).toBe(0);
  });
});
