// `npx tsx bench/kpi-totals.bench.ts [--items N]`: the transform's KPI step over N facts in a
// fresh SQLite state file, two ways: reading every fact of the dates back into JS and running
// computeKpis (the path before issue 10), and FactStore.kpiTotals (GROUP BY in SQLite). Prints
// JSON with both times, the peak RSS and whether the two results are equal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../src/adapters/sqlite/sqlite-database.js';
import { SqliteFactStore } from '../src/adapters/sqlite/sqlite-fact-store.js';
import { storeSyntheticFacts } from './synthetic-facts.js';
import { totalKpis } from '../src/domain/kpi/compute-kpis.js';

const arg = process.argv.indexOf('--items');
const items = arg === -1 ? 1_000_000 : Number(process.argv[arg + 1]);

const dir = mkdtempSync(join(tmpdir(), 'kpi-bench-'));
try {
  const db = openSqlite(join(dir, 'state.db'));
  const store = new SqliteFactStore(db);
  const dates = await storeSyntheticFacts(store, items);

  const t0 = performance.now();
  const viaJs = totalKpis(await store.forDates(dates));
  const readAllMs = performance.now() - t0;
  const t1 = performance.now();
  const inStore = await store.kpiTotals(dates);
  const groupByMs = performance.now() - t1;
  const same =
    JSON.stringify(viaJs, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ===
    JSON.stringify(inStore, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  db.close();
  process.stdout.write(
    `${JSON.stringify({
      items,
      dates: dates.length,
      read_every_fact_then_compute_s: +(readAllMs / 1000).toFixed(2),
      sqlite_group_by_s: +(groupByMs / 1000).toFixed(2),
      equal: same,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
