// `npx tsx bench/kpi-totals.bench.ts [--items N]`: the transform's KPI step over N facts in a
// fresh SQLite state file, three ways: reading every fact of the dates back into JS and running
// computeKpis (the path before issue 10), FactStore.kpiTotals (one pass in SQLite along the facts
// key), and the two GROUP BY queries it runs above 16 categories (the form before round 6), each
// with its main-thread CPU. `--state PATH` times the two SQLite forms on an existing state file
// (read only) instead, alternated. Prints JSON with the times, the peak RSS and whether the
// results are equal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../src/adapters/sqlite/sqlite-database.js';
import { SqliteFactStore } from '../src/adapters/sqlite/sqlite-fact-store.js';
import { kpiTotalsQuery } from '../src/adapters/sqlite/sqlite-kpi-totals.js';
import { storeSyntheticFacts } from './synthetic-facts.js';
import { totalKpis } from '../src/domain/kpi/compute-kpis.js';

const arg = process.argv.indexOf('--items');
const items = arg === -1 ? 1_000_000 : Number(process.argv[arg + 1]);
const stateArg = process.argv.indexOf('--state');
const text = (v: unknown) =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x));
/** the result, wall s and CPU s of one call */
const timed = <T>(run: () => T): [T, number, number] => {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const result = run();
  const used = process.cpuUsage(cpu);
  return [
    result,
    +((performance.now() - t0) / 1000).toFixed(2),
    +((used.user + used.system) / 1e6).toFixed(2),
  ];
};

if (stateArg !== -1) {
  const db = openSqlite(process.argv[stateArg + 1] as string);
  const dates = (db.prepare('SELECT DISTINCT order_day FROM facts').pluck().all() as number[]).map(
    (d) => new Date(d * 86_400_000).toISOString().slice(0, 10),
  );
  const forms = {
    one_pass: kpiTotalsQuery(db),
    group_by: kpiTotalsQuery(db, { maxCategories: 0 }),
  };
  const runs: Record<string, { wall_s: number; cpu_s: number }[]> = { one_pass: [], group_by: [] };
  const results = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const form = i % 4 === 0 || i % 4 === 3 ? 'one_pass' : 'group_by';
    const [totals, wall, cpu] = timed(() => forms[form](dates));
    results.add(text(totals));
    runs[form]?.push({ wall_s: wall, cpu_s: cpu });
  }
  db.close();
  process.stdout.write(
    `${JSON.stringify({ dates: dates.length, ...runs, equal: results.size === 1 })}\n`,
  );
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'kpi-bench-'));
try {
  const db = openSqlite(join(dir, 'state.db'));
  const store = new SqliteFactStore(db);
  const dates = await storeSyntheticFacts(store, items);

  const t0 = performance.now();
  const viaJs = totalKpis(await store.forDates(dates));
  const readAllMs = performance.now() - t0;
  const [inStore, onePassS, onePassCpu] = timed(() => kpiTotalsQuery(db)(dates));
  const [viaGroupBy, groupByS, groupByCpu] = timed(() =>
    kpiTotalsQuery(db, { maxCategories: 0 })(dates),
  );
  const same = text(viaJs) === text(inStore) && text(viaGroupBy) === text(inStore);
  db.close();
  process.stdout.write(
    `${JSON.stringify({
      items,
      dates: dates.length,
      read_every_fact_then_compute_s: +(readAllMs / 1000).toFixed(2),
      sqlite_one_pass_s: onePassS,
      sqlite_one_pass_cpu_s: onePassCpu,
      sqlite_group_by_s: groupByS,
      sqlite_group_by_cpu_s: groupByCpu,
      equal: same,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
