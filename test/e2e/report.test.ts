// Issue 14: `shop-pipeline report` writes one HTML file that headless Chromium renders with every
// chart drawn (SVG), no console error, no request but the file itself, and a latest-day table
// equal to `kpis --json`; on a generated shop always, and on the lab data when ../shared is there.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  csv,
  labData,
  ORDERS_HEADER,
  relativeFiles,
  removeTempDirs,
  tempDir,
  writeFiles,
} from './cli-harness.js';
import {
  chartPaths,
  hasChromium,
  latestCells,
  launchChromium,
  sameAmount,
  watchedPage,
  type KpisJson,
} from './report-browser.js';

const CHARTS = [
  'revenue-day',
  'orders-day',
  'return-day',
  'category-revenue',
  'aov-category',
  'file-activity',
  'group-states',
];

let context: BrowserContext;
beforeAll(async () => {
  if (hasChromium) context = await launchChromium();
});
afterAll(async () => {
  await context?.close();
  removeTempDirs();
});

const writeReport = (home: string, ...args: string[]): { path: string; kpis: KpisJson } => {
  const path = join(tempDir('report-out'), 'report.html');
  const run = cli(home, 'report', '--out', path, ...args);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout.trim()).toBe(path);
  return { path, kpis: JSON.parse(cli(home, 'kpis', '--json').stdout) as KpisJson };
};

/** opens the file and checks what every report must hold; returns the page for more checks */
const openReport = async (path: string, kpis: KpisJson) => {
  const w = await watchedPage(context);
  await w.page.goto(pathToFileURL(path).href);
  await w.page.waitForSelector('body[data-rendered]');
  const charts = await chartPaths(w.page);
  expect(charts.map((c) => c.id)).toEqual(CHARTS);
  for (const c of charts) {
    expect(c.svgs, c.id).toBeGreaterThan(0);
    expect(c.paths, c.id).toBeGreaterThan(0);
  }
  // every chart: an ARIA description and a text table with rows
  for (const id of CHARTS) {
    expect(await w.page.getAttribute(`#${id}`, 'aria-label'), id).toBeTruthy();
    expect(await w.page.locator(`#table-${id} tbody tr`).count(), id).toBeGreaterThan(0);
  }
  const last = kpis.order_kpis.at(-1);
  if (last === undefined) throw new Error('no KPIs to compare');
  expect(await w.page.textContent('#latest-date')).toBe(`${last.order_date} (UTC)`);
  const day = new Map((await latestCells(w.page, 'latest-day')).map((c) => [c.field, c]));
  expect(day.get('total_orders')?.text).toBe(String(last.total_orders));
  expect(sameAmount(day.get('total_revenue')?.text ?? '', last.total_revenue)).toBe(true);
  expect(day.get('total_items_sold')?.text).toBe(String(last.total_items_sold));
  expect(Number(day.get('return_rate')?.value)).toBe(last.return_rate);
  expect(day.get('unique_customers')?.text).toBe(String(last.unique_customers));
  const cells = await latestCells(w.page, 'latest-categories');
  const categories = kpis.category_kpis.filter((c) => c.order_date === last.order_date);
  expect(cells.filter((c) => c.field === 'daily_revenue').map((c) => c.row)).toEqual(
    categories.map((c) => c.category),
  );
  for (const k of categories) {
    const row = new Map(cells.filter((c) => c.row === k.category).map((c) => [c.field, c]));
    expect(sameAmount(row.get('daily_revenue')?.text ?? '', k.daily_revenue), k.category).toBe(
      true,
    );
    expect(sameAmount(row.get('avg_order_value')?.text ?? '', k.avg_order_value)).toBe(true);
    expect(Number(row.get('avg_return_rate')?.value)).toBe(k.avg_return_rate);
  }
  const total = cells.find((c) => c.row.startsWith('Total'));
  expect(sameAmount(total?.text ?? '', last.total_revenue)).toBe(true);
  expect(w.errors).toEqual([]);
  expect(w.requests).toEqual([pathToFileURL(path).href]);
  return w;
};

describe.skipIf(!hasChromium)('report in headless Chromium (generated shop)', () => {
  const home = tempDir('report-home');
  const sample = tempDir('report-sample');
  beforeAll(() => {
    expect(cli(home, 'generate', '--out', sample, '--orders', '40', '--seed', '11').code).toBe(0);
    expect(cli(home, 'ingest', sample).code).toBe(0);
    // and one file rejected, so the pipeline section has a rejection to show
    const [bad = ''] = writeFiles(tempDir('report-bad'), {
      'orders/orders_bad.csv': csv(ORDERS_HEADER, '990001,1,delivered,not-a-date,,,,1'),
    });
    expect(cli(home, 'ingest', bad).code).toBe(3);
  });

  it('renders every chart, no error or request, and the latest day equal to kpis --json', async () => {
    const { path, kpis } = writeReport(home);
    expect(readFileSync(path, 'utf8')).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    const { page } = await openReport(path, kpis);
    const rejection = page.locator('#problems tbody tr', { hasText: 'orders_bad.csv' });
    await expect(rejection.textContent()).resolves.toMatch(/file rejected.*type\.parse x1/);
    const href = (await rejection.locator('a').getAttribute('href')) ?? '';
    expect(href).toMatch(/^file:\/\/.*\/bucket\/reports\/files\/[0-9a-f]{64}\/verdict\.json$/);
    expect(existsSync(new URL(href).pathname)).toBe(true);
    const activity = await page.$$eval('#table-file-activity tbody tr', (rows) =>
      rows.map((r) => [...r.children].map((c) => Number(c.textContent)).slice(1)),
    );
    expect(activity.reduce((n, [landed = 0]) => n + landed, 0)).toBe(relativeFiles(sample).length);
    expect(activity.reduce((n, [, rejected = 0]) => n + rejected, 0)).toBe(1);
    // the category table sorts by a column, both ways, and says so to assistive technology
    const revenueOf = new Map<string, number>();
    for (const k of kpis.category_kpis)
      revenueOf.set(
        k.category,
        (revenueOf.get(k.category) ?? 0) + Math.round(Number(k.daily_revenue) * 100),
      );
    const expected = [...revenueOf].sort((a, b) => a[1] - b[1]).map(([c]) => c);
    const firstColumn = () =>
      page.$$eval('#category-table tbody tr', (rows) =>
        rows.map((r) => r.firstElementChild?.textContent ?? ''),
      );
    await page.click('#category-table button[data-sort="period"]');
    expect(await firstColumn()).toEqual(expected);
    await page.click('#category-table button[data-sort="period"]');
    expect(await firstColumn()).toEqual([...expected].reverse());
    expect(
      await page.getAttribute('#category-table th[aria-sort="descending"] button', 'data-sort'),
    ).toBe('period');
    await page.close();
  });

  it('--from/--to limit the order dates shown', async () => {
    const all = JSON.parse(cli(home, 'kpis', '--json').stdout) as KpisJson;
    const dates = all.order_kpis.map((k) => k.order_date);
    const [from, to] = [dates[1] ?? '', dates.at(-2) ?? ''];
    const { path } = writeReport(home, '--from', from, '--to', to);
    const inRange = {
      ...all,
      order_kpis: all.order_kpis.filter((k) => k.order_date >= from && k.order_date <= to),
    };
    const { page } = await openReport(path, inRange);
    expect(await page.locator('#table-revenue-day tbody tr').count()).toBe(dates.length - 2);
    await page.close();
    expect(cli(home, 'report', '--from', to, '--to', from).code).toBe(2);
    expect(cli(home, 'report', '--from', '2025-02-30').code).toBe(2);
  });
});

describe.skipIf(!hasChromium || !existsSync(labData))(
  'report of the lab data in headless Chromium (skipped without Chromium or ../shared/fixtures/lab-data)',
  () => {
    it('renders the charts, the latest day, and the rows set aside with rule and report', async () => {
      const home = tempDir('report-lab');
      const run = cli(home, '--policy', 'quarantine-rows', 'ingest', labData);
      expect(run.code, run.stderr).toBe(3); // 105 product rows set aside
      const { path, kpis } = writeReport(home);
      const { page } = await openReport(path, kpis);
      const problem = page.locator('#problems tbody tr', { hasText: 'incoming/products.csv' });
      await expect(problem.textContent()).resolves.toMatch(
        /rows set aside.*required\.not-null x105/,
      );
      const href = await problem.locator('a').getAttribute('href');
      expect(href).toMatch(/^file:\/\/.*\/bucket\/reports\/files\/[0-9a-f]{64}\/verdict\.json$/);
      expect(existsSync(new URL(href ?? '').pathname)).toBe(true);
      await expect(page.textContent('#pipeline-summary')).resolves.toMatch(/Pending: 281\./);
      await page.close();
    }, 480_000); // ingesting the lab data takes a minute on a busy machine
  },
);
