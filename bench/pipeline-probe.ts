// Child side of `npm run bench`: wraps the prototype methods of the use cases and
// adapters the embedded ingest goes through (no production code knows about it), runs the CLI's
// main module with the given arguments, and writes one record per call to $PIPELINE_PROBE_OUT:
// wall time, RSS after, and the process's peak RSS so far (`resourceUsage().maxRSS` never falls,
// so the stage during which it grew is the one that set the peak).
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * The code probed: the tree in $PIPELINE_PROBE_CODE (a file URL; `npm run bench` gives the
 * compiled dist/, which is what the `shop-pipeline` command runs) or, by default, the TypeScript
 * sources next to this file under tsx (to profile a working tree without building it). Classes
 * come from the same tree as the CLI's main, so the prototypes wrapped are the ones it uses.
 */
const code = process.env['PIPELINE_PROBE_CODE'] ?? new URL('../src/', import.meta.url).href;
const load = <M>(path: string): Promise<M> => import(new URL(path, code).href) as Promise<M>;
const { ArchiveGroup } = await load<typeof import('../src/application/archive-group.use-case.js')>(
  'application/archive-group.use-case.js',
);
const { LandFile } = await load<typeof import('../src/application/land-file.use-case.js')>(
  'application/land-file.use-case.js',
);
const { StagedRows } = await load<typeof import('../src/application/staged-rows.js')>(
  'application/staged-rows.js',
);
const { TransformGroup } = await load<
  typeof import('../src/application/transform-group.use-case.js')
>('application/transform-group.use-case.js');
const { ValidateGroup } = await load<
  typeof import('../src/application/validate-group.use-case.js')
>('application/validate-group.use-case.js');
const { DeltaAnalyticsTables } = await load<
  typeof import('../src/adapters/delta/delta-analytics-tables.js')
>('adapters/delta/delta-analytics-tables.js');
const { DeltaWorkerTables } = await load<
  typeof import('../src/adapters/delta/delta-worker-tables.js')
>('adapters/delta/delta-worker-tables.js');
const { SqliteFactStore } = await load<
  typeof import('../src/adapters/sqlite/sqlite-fact-store.js')
>('adapters/sqlite/sqlite-fact-store.js');
const { SqliteKpiStore } = await load<typeof import('../src/adapters/sqlite/sqlite-kpi-store.js')>(
  'adapters/sqlite/sqlite-kpi-store.js',
);
const { SqliteReferenceIndex } = await load<
  typeof import('../src/adapters/sqlite/sqlite-reference-index.js')
>('adapters/sqlite/sqlite-reference-index.js');
const { ParquetStreamEncoder } = await load<
  typeof import('../src/adapters/parquet/parquet-stream-encoder.js')
>('adapters/parquet/parquet-stream-encoder.js');
const { ParquetWorkerCodec } = await load<
  typeof import('../src/adapters/parquet/parquet-worker-codec.js')
>('adapters/parquet/parquet-worker-codec.js');
const { WorkerRowGroupSink } = await load<
  typeof import('../src/adapters/parquet/parquet-worker-sink.js')
>('adapters/parquet/parquet-worker-sink.js');
const { V8MemoryReclaim } = await load<typeof import('../src/adapters/node/v8-memory-reclaim.js')>(
  'adapters/node/v8-memory-reclaim.js',
);
const { FileSystemObjectStore } = await load<
  typeof import('../src/adapters/filesystem/filesystem-object-store.js')
>('adapters/filesystem/filesystem-object-store.js');
const { SqliteWorkerReferenceIndex } = await load<
  typeof import('../src/adapters/sqlite/sqlite-reference-worker-index.js')
>('adapters/sqlite/sqlite-reference-worker-index.js');

export interface ProbeRecord {
  readonly stage: string;
  readonly depth: number;
  /** when the call started, in ms since the process started (performance.timeOrigin) */
  readonly atMs: number;
  readonly ms: number;
  /** CPU of the whole process (all threads, the collector's included) during the call */
  readonly cpuMs: number;
  /** CPU of the main thread alone (10 ms ticks): what bounds the wall time with a core to spare */
  readonly mainCpuMs: number;
  readonly rssMb: number;
  readonly heapMb: number;
  readonly maxRssMb: number;
}

const records: ProbeRecord[] = [];

/** CPU ms of the main thread: utime + stime of its /proc task, in clock ticks of 10 ms */
const mainThreadCpuMs = (): number => {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
let depth = 0;
const mb = (bytes: number): number => Math.round(bytes / 1048576);

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

function probe(proto: object, method: string, stage: string): void {
  const target = proto as Record<string, AsyncMethod>;
  const original = target[method];
  if (original === undefined) throw new Error(`${stage}: no method ${method}`);
  target[method] = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const mainCpu = mainThreadCpuMs();
    const at = depth++;
    try {
      return await original.apply(this, args);
    } finally {
      depth--;
      const m = process.memoryUsage();
      records.push({
        stage,
        depth: at,
        atMs: t,
        ms: performance.now() - t,
        cpuMs: ((u) => (u.user + u.system) / 1000)(process.cpuUsage(cpu)),
        mainCpuMs: mainThreadCpuMs() - mainCpu,
        rssMb: mb(m.rss),
        heapMb: mb(m.heapUsed),
        maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      });
    }
  };
}

probe(LandFile.prototype, 'execute', 'land file');
probe(SqliteReferenceIndex.prototype, 'register', 'reference index register');
// the local index: a big landing's keys staged on its worker while the file decodes (this then
// records the wait for the worker's answer, after the decode); others still go through register
probe(
  SqliteWorkerReferenceIndex.prototype,
  'registerOnWorker',
  'reference index register (worker wait)',
);
// the wait for that register's commit, after the staged object and the manifest are written
probe(
  SqliteWorkerReferenceIndex.prototype,
  'commitOnWorker',
  'reference index commit (worker wait)',
);
probe(ValidateGroup.prototype, 'execute', 'validate group');
probe(StagedRows.prototype, 'load', 'staged rows load');
probe(StagedRows.prototype, 'take', 'staged rows take');
probe(TransformGroup.prototype, 'execute', 'transform group');
// the Transform's prelude: the group's rows (manifest read, staged rows), then the join between
// its full collections
probe(TransformGroup.prototype, 'groupFacts', 'transform groupFacts');
probe(TransformGroup.prototype, 'groupRows', 'transform groupRows');
probe(V8MemoryReclaim.prototype, 'reclaim', 'memory reclaim');
probe(SqliteFactStore.prototype, 'replaceOrders', 'facts replaceOrders');
probe(SqliteFactStore.prototype, 'touchedBy', 'facts touchedBy');
probe(SqliteFactStore.prototype, 'kpiTotals', 'facts kpiTotals');
probe(SqliteKpiStore.prototype, 'replaceDates', 'kpis replaceDates');
probe(DeltaAnalyticsTables.prototype, 'commit', 'delta commit');
// the local tables: a big facts commit runs on the worker, overlapping the fact store's replace
probe(DeltaWorkerTables.prototype, 'commit', 'delta commit (worker tables)');
probe(ArchiveGroup.prototype, 'execute', 'archive group');
// which thread encoded each staged file (the local codec sends big files to a worker when a core
// is to spare): from finish() to the bytes, on this thread or waiting for the worker
probe(ParquetStreamEncoder.prototype, 'finish', 'staging encode finish (inline)');
probe(WorkerRowGroupSink.prototype, 'finish', 'staging encode finish (worker)');

/**
 * `setting` always|never: every call of `method` first sets the instance's spare-core check to
 * that answer (any other setting leaves the check alone)
 */
function forceSpareCore(prototype: object, method: string, setting: string | undefined): void {
  if (setting !== 'always' && setting !== 'never') return;
  const methods = prototype as Record<string, unknown>;
  const original = methods[method] as (this: Record<string, unknown>, ...a: unknown[]) => unknown;
  methods[method] = function (this: Record<string, unknown>, ...args: unknown[]) {
    this['spareCore'] = () => setting === 'always';
    return original.apply(this, args);
  };
}
// PROBE_STAGING_WORKER=always|never overrides the codec's spare-core check, for an A/B of the
// staging encode worker at one load (big files only either way: MIN_WORKER_ROWS still holds)
forceSpareCore(ParquetWorkerCodec.prototype, 'writer', process.env['PROBE_STAGING_WORKER']);
// PROBE_DELTA_WORKER=always|never likewise for the transform's Delta commit worker (facts within
// its size limits only: DELTA_WORKER_MIN_FACTS and MAX_FACTS still hold)
forceSpareCore(DeltaWorkerTables.prototype, 'commit', process.env['PROBE_DELTA_WORKER']);
// PIPELINE_PROBE_REGISTER=worker | inline: the register's worker used for every big landing, or
// never, whatever the spare-core check says (to measure both on a busy machine)
const register = process.env['PIPELINE_PROBE_REGISTER'];
if (register === 'worker' || register === 'inline') {
  Object.defineProperty(SqliteWorkerReferenceIndex.prototype, 'coreSpare', {
    value: () => register === 'worker',
  });
}

// PROBE_GZIP_AHEAD=off: the embedded bucket takes no copy hint, so Archive gzips its raw files
// itself (as before round 8's edges4), to measure what the gzip ahead costs the stages it overlaps
if (process.env['PROBE_GZIP_AHEAD'] === 'off') {
  Object.defineProperty(FileSystemObjectStore.prototype, 'prepareCopy', { value: undefined });
}

const out = process.env['PIPELINE_PROBE_OUT'];
if (out === undefined) throw new Error('PIPELINE_PROBE_OUT is not set');
const started = performance.now();
await load('entrypoints/cli/main.js');
writeFileSync(
  out,
  JSON.stringify({
    records,
    wallMs: performance.now() - started,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    exitCode: process.exitCode ?? 0,
  }),
);
