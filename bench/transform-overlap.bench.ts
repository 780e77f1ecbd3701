// `npx tsx bench/transform-overlap.bench.ts [--facts N] [--dates D] [--worker]`: the Transform's
// writes of a group of N new facts (synthetic-facts.ts) into a fresh home, in the use case's
// order: the Delta facts commit started, the SQLite replace, the first KPI aggregation, then the
// Delta commit awaited. Inline (DeltaAnalyticsTables) the commit's CPU runs on this thread after
// the replace; with --worker (DeltaWorkerTables) on a worker thread meanwhile. Prints the wall
// and CPU seconds (all threads, and the main thread's alone) of those steps and the process's
// peak RSS. Run both, alternately, on a quiet machine: the gain is the wall time, the price the
// CPU and the RSS. On a busy machine the main thread's CPU is the figure that load does not
// change much: with an idle second core the wall time cannot go below it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DeltaAnalyticsTables } from '../src/adapters/delta/delta-analytics-tables.js';
import { DeltaWorkerTables } from '../src/adapters/delta/delta-worker-tables.js';
import { FileSystemObjectStore } from '../src/adapters/filesystem/filesystem-object-store.js';
import { openSqlite } from '../src/adapters/sqlite/sqlite-database.js';
import { SqliteFactStore } from '../src/adapters/sqlite/sqlite-fact-store.js';
import type { AnalyticsTables } from '../src/ports/analytics-tables.port.js';
import { syntheticGroup } from './synthetic-facts.js';

const { values } = parseArgs({
  options: {
    facts: { type: 'string', default: '1000000' },
    dates: { type: 'string', default: '7' },
    worker: { type: 'boolean', default: false },
  },
});
/** CPU seconds of the main thread (its /proc task: utime + stime, in clock ticks of 10 ms) */
const mainThreadCpu = (): number => {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const { orderIds, facts } = syntheticGroup(Number(values.facts), Number(values.dates));
const home = mkdtempSync(join(tmpdir(), 'transform-overlap-'));
const bucket = join(home, 'bucket');
mkdirSync(bucket);
try {
  const store = new SqliteFactStore(openSqlite(join(home, 'state.db')));
  const inline = new DeltaAnalyticsTables(new FileSystemObjectStore(bucket));
  const tables: AnalyticsTables & { close?: () => Promise<void> } = values.worker
    ? new DeltaWorkerTables(inline, { bucket, gzipped: [], spareCore: () => true })
    : inline;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpu();
  const kpis = { order: [], category: [] };
  const delta = tables.commit({ transactionId: 'bench', orderIds, facts, dates: [], kpis });
  const dates = await store.replaceOrders(orderIds, facts);
  await store.kpiTotals(dates);
  await delta;
  const u = process.cpuUsage(cpu);
  const mainCpuS = mainThreadCpu() - mainCpu;
  await tables.close?.();
  console.log(
    JSON.stringify({
      facts: facts.length,
      worker: values.worker,
      wall_s: Number(((performance.now() - wall) / 1000).toFixed(2)),
      cpu_s: Number(((u.user + u.system) / 1e6).toFixed(2)),
      main_thread_cpu_s: Number(mainCpuS.toFixed(2)),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}
