// `npx tsx bench/period-totals.bench.ts [--items N]`: `kpis --by week|month --totals` on SQLite
// over N facts (~3 items per order, 1,095 days), timing FactStore.periodTotals for each roll-up
// beside the daily kpiTotals, and checking the SQL result against the domain's rollUpTotals over
// every fact read back. Prints JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../src/adapters/sqlite/sqlite-database.js';
import { SqliteFactStore } from '../src/adapters/sqlite/sqlite-fact-store.js';
import { storeSyntheticFacts } from './synthetic-facts.js';
import { rollUpTotals, type RollUp } from '../src/domain/kpi/kpi-periods.js';

const arg = process.argv.indexOf('--items');
const items = arg === -1 ? 300_000 : Number(process.argv[arg + 1]);
const text = (v: unknown) =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x));
const seconds = (ms: number) => +(ms / 1000).toFixed(3);

const dir = mkdtempSync(join(tmpdir(), 'period-bench-'));
try {
  const db = openSqlite(join(dir, 'state.db'));
  const store = new SqliteFactStore(db);
  const dates = await storeSyntheticFacts(store, items);
  const facts = await store.forDates(dates);
  const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const result = await run();
    return [result, performance.now() - t0];
  };
  const [, dailyMs] = await timed(() => store.kpiTotals(dates));
  const rollUps: Record<string, { s: number; periods: number; equal: boolean }> = {};
  for (const by of ['day', 'week', 'month', 'all'] as RollUp[]) {
    const [totals, ms] = await timed(() => store.periodTotals(dates, by));
    rollUps[by] = {
      s: seconds(ms),
      periods: totals.days.length,
      equal: text(totals) === text(rollUpTotals(facts, dates, by)),
    };
  }
  db.close();
  process.stdout.write(
    `${JSON.stringify({ items, dates: dates.length, daily_kpi_totals_s: seconds(dailyMs), period_totals: rollUps, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
