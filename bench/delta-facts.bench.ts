// `npx tsx bench/delta-facts.bench.ts [--facts N] [--dates D] [--fs] [--worker]`: the
// Transform's Delta facts commit of a group of N new facts over D dates (synthetic-facts.ts) into
// empty tables, in memory or (--fs) in a temporary folder, inline or (--worker) on the commit
// worker (DeltaWorkerTables, --fs implied): wall and CPU seconds of the commit (all threads:
// columns per date, Parquet encode, stats) and the peak RSS of the process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DeltaAnalyticsTables } from '../src/adapters/delta/delta-analytics-tables.js';
import { DeltaWorkerTables } from '../src/adapters/delta/delta-worker-tables.js';
import { FileSystemObjectStore } from '../src/adapters/filesystem/filesystem-object-store.js';
import { InMemoryObjectStore } from '../src/adapters/in-memory/in-memory-object-store.js';
import type { AnalyticsTables } from '../src/ports/analytics-tables.port.js';
import { syntheticGroup } from './synthetic-facts.js';

const { values } = parseArgs({
  options: {
    facts: { type: 'string', default: '1000000' },
    dates: { type: 'string', default: '7' },
    fs: { type: 'boolean', default: false },
    worker: { type: 'boolean', default: false },
  },
});
const { orderIds, facts } = syntheticGroup(Number(values.facts), Number(values.dates));
const bucket = mkdtempSync(join(tmpdir(), 'delta-facts-bench-'));
const onDisk = values.fs || values.worker;
const inline = new DeltaAnalyticsTables(
  onDisk ? new FileSystemObjectStore(bucket) : new InMemoryObjectStore(),
);
const tables: AnalyticsTables & { close?: () => Promise<void> } = values.worker
  ? new DeltaWorkerTables(inline, { bucket, gzipped: [], spareCore: () => true })
  : inline;
const t = process.cpuUsage();
const wall = performance.now();
await tables.commit({
  transactionId: 'bench',
  orderIds,
  facts,
  dates: [],
  kpis: { order: [], category: [] },
});
const u = process.cpuUsage(t);
const wallS = (performance.now() - wall) / 1000;
await tables.close?.();
rmSync(bucket, { recursive: true, force: true });
console.log(
  JSON.stringify({
    facts: facts.length,
    worker: values.worker,
    commit_wall_s: Number(wallS.toFixed(2)),
    commit_cpu_s: Number(((u.user + u.system) / 1e6).toFixed(2)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
