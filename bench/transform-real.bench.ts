// `npx tsx bench/transform-real.bench.ts [--dir .bench] [--busy | --inline]`: the Transform's
// writes of the bench shop's real group (real-group.ts) into a fresh home, in the use case's
// order: the Delta facts commit started (DeltaWorkerTables on its worker, as on a host with a
// spare core; --busy: as when no core is spare; --inline: DeltaAnalyticsTables, the columns
// path), touchedBy, the SQLite replace, the first KPI totals, then the Delta commit awaited.
// Prints when each step ended (ms from the start), the main thread's CPU seconds and all
// threads', and the peak RSS. `delta_ms` is when this thread saw the Delta answer: the worker's
// end when the main thread was done first.
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
import { realGroup } from './real-group.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '.bench' },
    inline: { type: 'boolean', default: false },
    busy: { type: 'boolean', default: false },
  },
});
/** CPU seconds of the main thread (its /proc task: utime + stime, in clock ticks of 10 ms) */
const mainThreadCpu = (): number => {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const { orderIds, facts } = realGroup(values.dir as string);
const home = mkdtempSync(join(tmpdir(), 'transform-real-'));
const bucket = join(home, 'bucket');
mkdirSync(bucket);
try {
  const store = new SqliteFactStore(openSqlite(join(home, 'state.db')));
  const inline = new DeltaAnalyticsTables(new FileSystemObjectStore(bucket));
  const tables: AnalyticsTables & { close?: () => Promise<void> } = values.inline
    ? inline
    : new DeltaWorkerTables(inline, { bucket, gzipped: [], spareCore: () => !values.busy });
  const rssBefore = Math.round(process.resourceUsage().maxRSS / 1024);
  const wall = performance.now();
  const ms = () => Math.round(performance.now() - wall);
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpu();
  const kpis = { order: [], category: [] };
  const delta = tables.commit({ transactionId: 'bench', orderIds, facts, dates: [], kpis });
  const posted = ms();
  let deltaMs = -1;
  void delta.then(() => (deltaMs = ms()));
  await store.touchedBy(orderIds, facts);
  const touched = ms();
  const dates = await store.replaceOrders(orderIds, facts);
  const replaced = ms();
  await store.kpiTotals(dates);
  const totalled = ms();
  const mainCpuS = mainThreadCpu() - mainCpu;
  await delta;
  const u = process.cpuUsage(cpu);
  await tables.close?.();
  console.log(
    JSON.stringify({
      facts: facts.length,
      tables: values.inline ? 'inline' : values.busy ? 'busy' : 'worker',
      posted_ms: posted,
      touched_ms: touched,
      replaced_ms: replaced,
      totals_ms: totalled,
      delta_ms: deltaMs,
      wall_s: Number((ms() / 1000).toFixed(2)),
      cpu_s: Number(((u.user + u.system) / 1e6).toFixed(2)),
      main_thread_cpu_s: Number(mainCpuS.toFixed(2)),
      rss_before_mb: rssBefore,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}
