// `npm run bench:pipeline`: the whole embedded ingest (`shop-pipeline --home <fresh temp dir>
// ingest products orders order_items`) on the ~1M-item bench data, in a child process that times
// each use case (bench/pipeline-probe.ts), then DuckDB computing the same KPIs from the CSVs, and
// a check that both agree on every KPI row. Exits 1 when they differ.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KpiSet } from '../src/domain/kpi/kpi.types.js';
import { benchFile, ensureBenchData } from './io-data.js';
import { duckDbKpis } from './pipeline-duckdb.js';
import type { ProbeRecord } from './pipeline-probe.js';

interface ProbeReport {
  readonly records: readonly ProbeRecord[];
  readonly wallMs: number;
  readonly maxRssMb: number;
  readonly exitCode: number;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const files = {
  products: benchFile('products'),
  orders: benchFile('orders'),
  items: benchFile('order_items'),
};
const countRows = (path: string): number => {
  const text = readFileSync(path, 'latin1');
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n - 1; // the header
};

function runIngest(home: string): ProbeReport & { seconds: number } {
  const out = join(home, '..', 'probe.json');
  const t = performance.now();
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      join(here, 'pipeline-probe.ts'),
      '--home',
      home,
      'ingest',
      files.products,
      files.orders,
      files.items,
    ],
    { encoding: 'utf8', env: { ...process.env, PIPELINE_PROBE_OUT: out }, maxBuffer: 1 << 24 },
  );
  const seconds = (performance.now() - t) / 1000;
  if (run.status !== 0) throw new Error(`ingest failed (${run.status}):\n${run.stderr}`);
  process.stdout.write(`  ${run.stdout.trim()}\n`);
  return { ...(JSON.parse(readFileSync(out, 'utf8')) as ProbeReport), seconds };
}

function pipelineKpis(home: string, source: 'store' | 'delta'): KpiSet {
  const run = spawnSync(
    process.execPath,
    [
      join(here, '..', 'bin', 'shop-pipeline.js'),
      '--home',
      home,
      'kpis',
      '--json',
      '--source',
      source,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (run.status !== 0) throw new Error(`kpis --source ${source} failed:\n${run.stderr}`);
  const parsed = JSON.parse(run.stdout) as {
    order_kpis: KpiSet['order'];
    category_kpis: KpiSet['category'];
  };
  return { order: parsed.order_kpis, category: parsed.category_kpis };
}

/** stage totals: summed wall time, calls, and the highest peak RSS seen at the end of a call */
function stageTable(records: readonly ProbeRecord[]): string[] {
  const byStage = new Map<
    string,
    { ms: number; calls: number; depth: number; rss: number; peak: number }
  >();
  for (const r of records) {
    const s = byStage.get(r.stage) ?? { ms: 0, calls: 0, depth: r.depth, rss: 0, peak: 0 };
    s.ms += r.ms;
    s.calls++;
    s.rss = Math.max(s.rss, r.rssMb);
    s.peak = Math.max(s.peak, r.maxRssMb);
    byStage.set(r.stage, s);
  }
  const lines = [
    '  stage                          calls   seconds   RSS after MB   peak RSS so far MB',
  ];
  for (const [stage, s] of byStage) {
    lines.push(
      [
        `  ${'  '.repeat(s.depth)}${stage}`.padEnd(32),
        String(s.calls).padStart(5),
        (s.ms / 1000).toFixed(2).padStart(9),
        String(s.rss).padStart(14),
        String(s.peak).padStart(20),
      ].join(' '),
    );
  }
  return lines;
}

const cents = (amount: number): number => Math.round(amount * 100);
const sameRate = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12;

/** every KPI row of `ours` against DuckDB's: keys, counts and cents exactly, rates to 1e-12 */
function compare(label: string, ours: KpiSet, duck: KpiSet): { rows: number; diffs: string[] } {
  const diffs: string[] = [];
  const check = <T>(
    kind: string,
    key: (r: T) => string,
    a: readonly T[],
    b: readonly T[],
    same: (x: T, y: T) => boolean,
  ): number => {
    const theirs = new Map(b.map((r) => [key(r), r]));
    for (const r of a) {
      const d = theirs.get(key(r));
      if (d === undefined) diffs.push(`${label} ${kind} ${key(r)}: only in the pipeline`);
      else if (!same(r, d))
        diffs.push(
          `${label} ${kind} ${key(r)}: pipeline ${JSON.stringify(r)} DuckDB ${JSON.stringify(d)}`,
        );
      theirs.delete(key(r));
    }
    for (const k of theirs.keys()) diffs.push(`${label} ${kind} ${k}: only in DuckDB`);
    return a.length;
  };
  const rows =
    check(
      'order_kpis',
      (r) => r.order_date,
      ours.order,
      duck.order,
      (x, y) =>
        x.total_orders === y.total_orders &&
        cents(x.total_revenue) === cents(y.total_revenue) &&
        x.total_items_sold === y.total_items_sold &&
        sameRate(x.return_rate, y.return_rate) &&
        x.unique_customers === y.unique_customers,
    ) +
    check(
      'category_kpis',
      (r) => `${r.order_date}/${r.category}`,
      ours.category,
      duck.category,
      (x, y) =>
        cents(x.daily_revenue) === cents(y.daily_revenue) &&
        cents(x.avg_order_value) === cents(y.avg_order_value) &&
        sameRate(x.avg_return_rate, y.avg_return_rate),
    );
  return { rows, diffs };
}

async function main(): Promise<void> {
  await ensureBenchData();
  const items = countRows(files.items);
  const orders = countRows(files.orders);
  const products = countRows(files.products);
  const mbOf = (p: string): string => (statSync(p).size / 1e6).toFixed(1);
  console.log(
    `node ${process.version}; input: ${items} order_items (${mbOf(files.items)} MB), ${orders} orders (${mbOf(files.orders)} MB), ${products} products`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
  const home = join(dir, 'home');
  try {
    console.log(`embedded ingest into ${home}:`);
    const run = runIngest(home);
    const rows = items + orders + products;
    console.log(
      `  whole run: ${run.seconds.toFixed(1)} s wall (${(run.wallMs / 1000).toFixed(1)} s after start-up), ` +
        `${Math.round(rows / run.seconds).toLocaleString('en-US')} rows/s of all three files, ` +
        `${Math.round(items / run.seconds).toLocaleString('en-US')} items/s; peak RSS ${run.maxRssMb} MB`,
    );
    for (const line of stageTable(run.records)) console.log(line);

    const duck = await duckDbKpis(files);
    console.log(
      `DuckDB, same KPIs from the CSVs: ${duck.seconds.toFixed(2)} s (${duck.facts} facts, ` +
        `${duck.order.length} days, ${duck.category.length} category rows; ${duck.unparsedTimestamps} unreadable created_at)`,
    );
    console.log(`  the pipeline took ${(run.seconds / duck.seconds).toFixed(0)}x DuckDB's time`);
    let failed = duck.unparsedTimestamps > 0 || duck.facts !== items;
    if (failed)
      console.log(
        `CHECK: DuckDB read ${duck.facts} facts of ${items} items or unreadable timestamps`,
      );
    for (const source of ['store', 'delta'] as const) {
      const { rows: compared, diffs } = compare(source, pipelineKpis(home, source), duck);
      console.log(
        `CHECK ${source} vs DuckDB: ${compared} KPI rows compared, ${diffs.length} differences`,
      );
      for (const d of diffs.slice(0, 20)) console.log(`  ${d}`);
      if (diffs.length > 0 || compared === 0) failed = true;
    }
    if (failed) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
