// Issue 14: `shop-pipeline serve` shows the page and a read-only JSON API equal to `kpis --json`
// and `status --json`; when `ingest` in another process lands a new day, the open page shows its
// KPIs without a reload (server-sent events).
import { spawn, type ChildProcess } from 'node:child_process';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bin,
  cli,
  csv,
  ITEMS_HEADER,
  ORDERS_HEADER,
  removeTempDirs,
  repoRoot,
  tempDir,
  writeFiles,
} from './cli-harness.js';
import {
  hasChromium,
  latestCells,
  launchChromium,
  sameAmount,
  watchedPage,
  type KpisJson,
} from './report-browser.js';

/** starts `serve --port 0` and resolves with its URL once it listens */
const startServe = (home: string): Promise<{ child: ChildProcess; url: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '--home', home, 'serve', '--port', '0'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1];
      if (url !== undefined) resolve({ child, url });
    });
    child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });

const stop = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });

describe.skipIf(!hasChromium)('serve: live view in headless Chromium', () => {
  const home = tempDir('serve-home');
  let context: BrowserContext;
  let server: { child: ChildProcess; url: string };

  beforeAll(async () => {
    const sample = tempDir('serve-sample');
    expect(cli(home, 'generate', '--out', sample, '--orders', '20', '--seed', '5').code).toBe(0);
    expect(cli(home, 'ingest', sample).code).toBe(0);
    server = await startServe(home);
    context = await launchChromium();
  });
  afterAll(async () => {
    await context?.close();
    if (server.child.exitCode === null) await stop(server.child);
    removeTempDirs();
  });

  it('serves /api/kpis and /api/status as the CLI prints them, and refuses writes', async () => {
    // the CLI runs first: a slow CLI call between two requests would leave fetch's kept-alive
    // socket idle past the server's keep-alive timeout, and a POST (never retried by fetch) could
    // then go out on a socket the server is closing
    const [kpisCli, statusCli] = [cli(home, 'kpis', '--json'), cli(home, 'status', '--json')];
    const kpis = await fetch(`${server.url}api/kpis`);
    expect(kpis.headers.get('content-type')).toBe('application/json');
    expect(await kpis.text()).toBe(kpisCli.stdout);
    expect(await (await fetch(`${server.url}api/status`)).text()).toBe(statusCli.stdout);
    const post = await fetch(`${server.url}api/kpis`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect((await fetch(`${server.url}reports/..%2f..%2fstate.db`)).status).toBe(404);
    expect((await fetch(`${server.url}nothing-here`)).status).toBe(404);
  });

  it('shows a newly landed day without a reload', async () => {
    const w = await watchedPage(context);
    await w.page.goto(server.url);
    await w.page.waitForSelector('body[data-rendered]');
    await expect
      .poll(() => w.page.textContent('#live'), { timeout: 60_000, interval: 250 })
      .toMatch(/connected/);
    // a mark on the document: still there after the update means the page was not reloaded
    await w.page.evaluate('window.sameDocument = true');

    // one order on a day the sample has not, completed by two items of known products
    const files = writeFiles(tempDir('serve-new'), {
      'orders/orders_new.csv': csv(ORDERS_HEADER, '900001,77,delivered,2025-04-15T10:00:00,,,,2'),
      'order_items/order_items_new.csv': csv(
        ITEMS_HEADER,
        '900001,900001,77,1,delivered,2025-04-15T10:00:00,,,,10.05',
        '900002,900001,77,2,returned,2025-04-15T10:00:00,,,2025-04-20T10:00:00,20.10',
      ),
    });
    const run = cli(home, 'ingest', ...files);
    expect(run.code, run.stderr).toBe(0);
    const kpis = JSON.parse(cli(home, 'kpis', '--json').stdout) as KpisJson;
    const day = kpis.order_kpis.find((k) => k.order_date === '2025-04-15');
    expect(day?.total_revenue).toBeDefined();

    await expect
      .poll(() => w.page.textContent('#latest-date'), { timeout: 120_000, interval: 250 })
      .toBe('2025-04-15 (UTC)');
    expect(await w.page.evaluate('window.sameDocument')).toBe(true);
    const cells = new Map((await latestCells(w.page, 'latest-day')).map((c) => [c.field, c]));
    expect(cells.get('total_revenue')?.text).toBe('30.15');
    expect(sameAmount(cells.get('total_revenue')?.text ?? '', day?.total_revenue ?? '')).toBe(true);
    expect(cells.get('total_orders')?.text).toBe('1');
    expect(await w.page.textContent('#live')).toMatch(/^Live: connected, updated /);
    expect(w.errors).toEqual([]);
    // the page itself and its event stream: nothing else, and nothing outside this server
    expect(new Set(w.requests)).toEqual(new Set([server.url, `${server.url}api/events`]));
    await w.page.close();
  }, 240_000);

  it('stops on SIGINT with exit code 0', async () => {
    expect(await stop(server.child)).toBe(0);
  });
});
