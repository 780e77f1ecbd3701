// `npx tsx bench/landing.bench.ts [--items N] [--home DIR]`: the landing half of the ingest
// alone (deliver products, orders, order_items into a fresh home; no workflow runs), with wall
// time, CPU seconds (user + system, of this process) and peak RSS per stage, and the state left
// on disk. Run it under `node --cpu-prof` / `--heap-prof` to profile landing without the
// transform's noise. Prints one JSON line.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { DeliverFile } from '../src/application/deliver-file.use-case.js';
import { LandFile } from '../src/application/land-file.use-case.js';
import { SqliteReferenceIndex } from '../src/adapters/sqlite/sqlite-reference-index.js';
import { localApp } from '../src/entrypoints/composition/local.container.js';
import { DEFAULT_ITEMS, benchFile, ensureBenchData } from './io-data.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const items = Number(option('--items') ?? DEFAULT_ITEMS);

interface Stage {
  s: number;
  cpu_s: number;
  calls: number;
  peak_rss_mb: number;
}
const stages: Record<string, Stage> = {};
const mb = (bytes: number): number => Math.round(bytes / 1048576);
type AsyncMethod = (...a: unknown[]) => Promise<unknown>;

function probe(proto: object, method: string, stage: string): void {
  const target = proto as Record<string, AsyncMethod>;
  const original = target[method] as AsyncMethod;
  target[method] = async function (this: unknown, ...a: unknown[]): Promise<unknown> {
    const t = performance.now();
    const cpu = process.cpuUsage();
    try {
      return await original.apply(this, a);
    } finally {
      const used = process.cpuUsage(cpu);
      const s = (stages[stage] ??= { s: 0, cpu_s: 0, calls: 0, peak_rss_mb: 0 });
      s.s += (performance.now() - t) / 1000;
      s.cpu_s += (used.user + used.system) / 1e6;
      s.calls++;
      s.peak_rss_mb = Math.max(s.peak_rss_mb, Math.round(process.resourceUsage().maxRSS / 1024));
    }
  };
}

probe(DeliverFile.prototype, 'execute', 'deliver file');
probe(LandFile.prototype, 'execute', 'land file');
probe(SqliteReferenceIndex.prototype, 'register', 'reference index register');

await ensureBenchData(items);
const dir = option('--home') ?? mkdtempSync(join(tmpdir(), 'bench-landing-'));
const home = join(dir, 'home');
const load = loadavg()[0] ?? 0;
const app = localApp({ home });
const t = performance.now();
const cpu = process.cpuUsage();
for (const dataset of ['products', 'orders', 'order_items'] as const) {
  const path = benchFile(dataset, items);
  // streamed from disk, as `shop-pipeline ingest` does
  const out = await app.deliver(`${dataset}.csv`, () => createReadStream(path), dataset);
  if (out._tag === 'Left') throw new Error(`${dataset} rejected: ${out.left.reason}`);
}
const used = process.cpuUsage(cpu);
await app.close();
const du = (p: string): number =>
  Number(spawnSync('du', ['-sb', p], { encoding: 'utf8' }).stdout.split('\t')[0]) / 1e6;
const round = (x: number): number => Math.round(x * 100) / 100;
for (const s of Object.values(stages)) {
  s.s = round(s.s);
  s.cpu_s = round(s.cpu_s);
}
const result = {
  items,
  landing_s: round((performance.now() - t) / 1000),
  cpu_s: round((used.user + used.system) / 1e6),
  peak_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
  state_mb: round(du(home)),
  state: { db_mb: round(du(join(home, 'state.db'))), bucket_mb: round(du(join(home, 'bucket'))) },
  load_avg_1m: [round(load), round(loadavg()[0] ?? 0)],
  // decode, row rules, hashing, staging and the rest of LandFile: what is left once the
  // reference index's register is taken out
  land_minus_register: {
    s: round((stages['land file']?.s ?? 0) - (stages['reference index register']?.s ?? 0)),
    cpu_s: round(
      (stages['land file']?.cpu_s ?? 0) - (stages['reference index register']?.cpu_s ?? 0),
    ),
  },
  stages,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
if (option('--home') === undefined) rmSync(dir, { recursive: true, force: true });
