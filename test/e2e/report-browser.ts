// Debian's Chromium driven by playwright-core for the report tests. Never downloads a browser:
// when /usr/bin/chromium is absent the tests skip and say why.
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from './cli-harness.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`report browser tests skipped: ${CHROMIUM} is absent (apt-get install chromium)`);

export const launchChromium = (): Promise<BrowserContext> =>
  chromium.launchPersistentContext(tempDir('chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });

export interface WatchedPage {
  readonly page: Page;
  /** console errors and uncaught exceptions */
  readonly errors: string[];
  /** every URL the page requested */
  readonly requests: string[];
}

export const watchedPage = async (context: BrowserContext): Promise<WatchedPage> => {
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  return { page, errors, requests };
};

/** id and number of drawn SVG paths of every chart on the page */
export const chartPaths = (page: Page): Promise<{ id: string; svgs: number; paths: number }[]> =>
  page.$$eval('.chart', (els) =>
    els.map((e) => ({
      id: e.id,
      svgs: e.querySelectorAll('svg').length,
      paths: [...e.querySelectorAll('svg path')].filter((p) => (p.getAttribute('d') ?? '') !== '')
        .length,
    })),
  );

/** the latest-day tables' cells: data-field -> [text, data-value] in document order */
export const latestCells = (
  page: Page,
  table: 'latest-day' | 'latest-categories',
): Promise<{ field: string; text: string; value: string; row: string }[]> =>
  page.$$eval(`#${table} [data-field]`, (els) =>
    els.map((e) => ({
      field: e.getAttribute('data-field') ?? '',
      text: e.textContent ?? '',
      value: e.getAttribute('data-value') ?? '',
      row: e.parentElement?.firstElementChild?.textContent ?? '',
    })),
  );

export interface KpisJson {
  readonly order_kpis: {
    order_date: string;
    total_orders: number;
    total_revenue: number | string;
    total_items_sold: number;
    return_rate: number;
    unique_customers: number;
  }[];
  readonly category_kpis: {
    category: string;
    order_date: string;
    daily_revenue: number | string;
    avg_order_value: number | string;
    avg_return_rate: number;
  }[];
}

/** the page prints an amount of `kpis --json` (a number or a decimal string) with 2 decimals */
export const sameAmount = (text: string, amount: number | string): boolean =>
  /^-?\d+\.\d{2}$/.test(text) && Number(text) === Number(amount);
