// `npx tsx bench/delta-facts.bench.ts [--facts N] [--dates D]`: the Transform's Delta facts
// commit of a group of N new facts over D dates (synthetic-facts.ts) into empty tables in memory:
// the CPU seconds of the commit (columns per date, Parquet encode, stats) and the peak RSS.
import { parseArgs } from 'node:util';
import { DeltaAnalyticsTables } from '../src/adapters/delta/delta-analytics-tables.js';
import { InMemoryObjectStore } from '../src/adapters/in-memory/in-memory-object-store.js';
import { syntheticGroup } from './synthetic-facts.js';

const { values } = parseArgs({
  options: {
    facts: { type: 'string', default: '1000000' },
    dates: { type: 'string', default: '7' },
  },
});
const { orderIds, facts } = syntheticGroup(Number(values.facts), Number(values.dates));
const tables = new DeltaAnalyticsTables(new InMemoryObjectStore());
const t = process.cpuUsage();
await tables.commit({
  transactionId: 'bench',
  orderIds,
  facts,
  dates: [],
  kpis: { order: [], category: [] },
});
const u = process.cpuUsage(t);
console.log(
  JSON.stringify({
    facts: facts.length,
    commit_cpu_s: Number(((u.user + u.system) / 1e6).toFixed(2)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
