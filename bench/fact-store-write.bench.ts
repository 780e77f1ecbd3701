// `npx tsx bench/fact-store-write.bench.ts [--facts N] [--dates D]`: the Transform's two fact
// store steps on a group of N new facts over D dates (the bench shop's shape: 3 items an order,
// numeric ids), in a fresh SQLite state file: touchedBy, then replaceOrders, then the KPI
// aggregation of the dates. Prints the CPU seconds of each and the process's peak RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqlite } from '../src/adapters/sqlite/sqlite-database.js';
import { SqliteFactStore } from '../src/adapters/sqlite/sqlite-fact-store.js';
import { syntheticGroup } from './synthetic-facts.js';

const { values } = parseArgs({
  options: {
    facts: { type: 'string', default: '1000000' },
    dates: { type: 'string', default: '7' },
  },
});
const N = Number(values.facts);
const DATES = Number(values.dates);
const { orderIds, facts } = syntheticGroup(N, DATES);

const cpu = async <T>(step: () => Promise<T>): Promise<[T, string]> => {
  const t = process.cpuUsage();
  const result = await step();
  const u = process.cpuUsage(t);
  return [result, ((u.user + u.system) / 1e6).toFixed(2)];
};
const dir = mkdtempSync(join(tmpdir(), 'fact-store-write-'));
try {
  const store = new SqliteFactStore(openSqlite(join(dir, 'state.db')));
  const [, touched] = await cpu(() => store.touchedBy(orderIds, facts));
  const [dates, replaced] = await cpu(() => store.replaceOrders(orderIds, facts));
  const [, totals] = await cpu(() => store.kpiTotals(dates));
  console.log(
    JSON.stringify({
      facts: N,
      dates: dates.length,
      touchedBy_cpu_s: Number(touched),
      replaceOrders_cpu_s: Number(replaced),
      kpiTotals_cpu_s: Number(totals),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
