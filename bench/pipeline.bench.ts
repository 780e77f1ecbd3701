// `npm run bench -- [--json] [--items N] [--curve] [--keep]`: the whole embedded ingest
// (`shop-pipeline --home <fresh dir> ingest products orders order_items`) on generated data, in a
// child process under /usr/bin/time (wall, CPU, peak RSS) that times each use case
// (bench/pipeline-probe.ts); then DuckDB computing the same KPIs from the same CSVs, and a check
// that the KPI store (`kpis --json`) and the Delta tables (DuckDB read_parquet over the active
// files) both agree with DuckDB on every row. Exits 1 when they differ.
//
// The ingest runs the compiled dist/ (built first by `npm run build`), as the `shop-pipeline`
// command does: under tsx, every module and worker is compiled at start (~0.4 s more wall on a
// 10k-row ingest, measured). `--from-source` runs the TypeScript sources under tsx instead.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import type { KpiSet } from '../src/domain/kpi/kpi.types.js';
import { deltaKpis } from './delta-kpis.js';
import { DEFAULT_ITEMS, benchFile, ensureBenchData } from './io-data.js';
import { compareKpis } from './kpi-compare.js';
import { launcherEnv } from './launcher-env.js';
import { duckDbKpis } from './pipeline-duckdb.js';
import type { ProbeRecord } from './pipeline-probe.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const countRows = (path: string): number => {
  const text = readFileSync(path, 'latin1');
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n - 1; // the header
};

interface Ingest {
  readonly wallS: number;
  readonly cpuS: number;
  readonly peakRssMb: number;
  readonly records: readonly ProbeRecord[];
  readonly exit: number;
}

/** `/usr/bin/time -v` output: one "name: value" per line */
const timeField = (text: string, name: string): string =>
  text
    .split('\n')
    .find((l) => l.trim().startsWith(name))
    ?.split(': ')[1] ?? 'NaN';

/**
 * The node arguments that run the probe: on the compiled tree, the probe itself transpiled next
 * to the run (plain node, no tsx loader at all); from source, the probe under tsx.
 */
function probeCommand(dir: string): { args: string[]; env: Record<string, string> } {
  if (flag('--from-source'))
    return {
      args: ['--import', import.meta.resolve('tsx'), join(here, 'pipeline-probe.ts')],
      env: {},
    };
  const built = spawnSync('npm', ['run', '--silent', 'build'], { encoding: 'utf8', cwd: root });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}${built.stderr}`);
  const probe = join(dir, 'pipeline-probe.mjs');
  const source = readFileSync(join(here, 'pipeline-probe.ts'), 'utf8');
  writeFileSync(
    probe,
    transformSync(source, { loader: 'ts', format: 'esm', target: 'node20' }).code,
  );
  return {
    args: [probe],
    env: { PIPELINE_PROBE_CODE: `${pathToFileURL(join(root, 'dist')).href}/` },
  };
}

function runIngest(home: string, files: readonly string[]): Ingest {
  const probeOut = join(home, '..', 'probe.json');
  const timeOut = join(home, '..', 'time.txt');
  const command = probeCommand(join(home, '..'));
  const t = performance.now();
  const run = spawnSync(
    '/usr/bin/time',
    ['-v', '-o', timeOut, process.execPath, ...command.args, '--home', home, 'ingest', ...files],
    {
      encoding: 'utf8',
      // the launcher's variables (glibc's MALLOC_ARENA_MAX): the process the command would start
      env: {
        ...process.env,
        ...launcherEnv(join(root, 'bin', 'shop-pipeline.js')),
        ...command.env,
        PIPELINE_PROBE_OUT: probeOut,
      },
      maxBuffer: 1 << 24,
    },
  );
  const wallS = (performance.now() - t) / 1000;
  // a failed run still reports its time, CPU and stages (e.g. a workflow task timing out on an
  // overloaded machine); its KPIs are then not compared
  if (run.status !== 0) log(`ingest exited ${run.status}:\n${run.stdout}${run.stderr}`);
  const time = readFileSync(timeOut, 'utf8');
  const cpuS =
    Number(timeField(time, 'User time (seconds)')) +
    Number(timeField(time, 'System time (seconds)'));
  const peakRssMb = Math.round(
    Number(timeField(time, 'Maximum resident set size (kbytes)')) / 1024,
  );
  const probe = JSON.parse(readFileSync(probeOut, 'utf8')) as { records: ProbeRecord[] };
  return { wallS, cpuS, peakRssMb, records: probe.records, exit: run.status ?? -1 };
}

function storeKpis(home: string): KpiSet {
  const run = spawnSync(
    process.execPath,
    [join(here, '..', 'bin', 'shop-pipeline.js'), '--home', home, 'kpis', '--json'],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (run.status !== 0) throw new Error(`kpis --json failed:\n${run.stderr}`);
  const parsed = JSON.parse(run.stdout) as {
    order_kpis: KpiSet['order'];
    category_kpis: KpiSet['category'];
  };
  return { order: parsed.order_kpis, category: parsed.category_kpis };
}

/** apparent bytes under a path (du -sb), in MB */
const duMb = (path: string): number =>
  Number(spawnSync('du', ['-sb', path], { encoding: 'utf8' }).stdout.split('\t')[0]) / 1e6;

function stages(records: readonly ProbeRecord[]): Record<string, object> {
  const out: Record<string, { s: number; calls: number; peak_rss_mb: number }> = {};
  for (const r of records) {
    const s = (out[r.stage] ??= { s: 0, calls: 0, peak_rss_mb: 0 });
    s.s += r.ms / 1000;
    s.calls++;
    s.peak_rss_mb = Math.max(s.peak_rss_mb, r.maxRssMb);
  }
  for (const s of Object.values(out)) s.s = Math.round(s.s * 100) / 100;
  return out;
}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

async function benchOnce(requested: number): Promise<Record<string, unknown>> {
  await ensureBenchData(requested);
  const files = {
    products: benchFile('products', requested),
    orders: benchFile('orders', requested),
    items: benchFile('order_items', requested),
  };
  const items = countRows(files.items);
  const csvMb = Object.values(files).reduce((a, f) => a + statSync(f).size, 0) / 1e6;
  const dir = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
  const home = join(dir, 'home');
  const loadBefore = loadavg()[0] ?? 0;
  try {
    log(`ingest of ${items} items (${csvMb.toFixed(1)} MB of CSV) into ${home} ...`);
    const run = runIngest(home, [files.products, files.orders, files.items]);
    const loadAfter = loadavg()[0] ?? 0;
    const duck = await duckDbKpis(files);
    const checks =
      run.exit === 0
        ? [
            compareKpis('store', storeKpis(home), duck),
            compareKpis('delta', await deltaKpis(home), duck),
          ]
        : [];
    const diffs = checks.flatMap((c) => c.diffs);
    diffs.slice(0, 20).forEach(log);
    const kpisEqual =
      run.exit === 0 &&
      diffs.length === 0 &&
      checks.every((c) => c.rows > 0) &&
      duck.unparsedTimestamps === 0 &&
      duck.facts === items;
    const stateMb = duMb(home);
    const result = {
      items,
      pipeline_s: round(run.wallS),
      duckdb_s: round(duck.seconds),
      ratio: round(run.wallS / duck.seconds, 1),
      peak_rss_mb: run.peakRssMb,
      state_mb: round(stateMb, 1),
      kpis_equal: kpisEqual,
      ingest_exit: run.exit,
      cpu_s: round(run.cpuS),
      csv_mb: round(csvMb, 1),
      state_x_csv: round(stateMb / csvMb),
      state: {
        db_mb: round(duMb(join(home, 'state.db')), 1),
        bucket_mb: round(duMb(join(home, 'bucket')), 1),
      },
      kpi_rows_compared: checks.reduce((a, c) => a + c.rows, 0),
      load_avg_1m: [round(loadBefore), round(loadAfter)],
      // wall outside every outermost probed stage: Node's start and module loading, the
      // files' delivery into the bucket, the workflow between its states, the exit
      outside_stages_s: round(
        run.wallS - run.records.filter((r) => r.depth === 0).reduce((a, r) => a + r.ms, 0) / 1000,
      ),
      stages: stages(run.records),
    };
    if (flag('--keep')) log(`kept ${home}`);
    return result;
  } finally {
    if (!flag('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = flag('--curve')
    ? [100_000, DEFAULT_ITEMS, 3_000_000]
    : [Number(option('--items') ?? DEFAULT_ITEMS)];
  log(`node ${process.version}, ${sizes.join(', ')} items`);
  const results: Record<string, unknown>[] = [];
  for (const n of sizes) {
    const r = await benchOnce(n);
    results.push(r);
    if (!flag('--json')) log(JSON.stringify(r, null, 2));
    if (r['kpis_equal'] !== true) process.exitCode = 1;
  }
  if (flag('--json')) {
    process.stdout.write(`${JSON.stringify(results.length === 1 ? results[0] : results)}\n`);
  }
}

await main();
