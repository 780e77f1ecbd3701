// `npx tsx bench/validate-stage.bench.ts [--items N] [--runs R]`: the Validate stage's own work
// (validateGroup, the landing row rules run again over the group's rows, mergeVerdicts) on the
// cached bench data (bench/io-data.ts) decoded into one group, without the staged rows load
// (timed by `npm run bench`). Reports CPU seconds per part and run (the machine is shared: CPU,
// not wall), and the merged verdict's rule counts so two versions can be compared for equality.
import { createReadStream } from 'node:fs';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { StreamingCsvDecoder } from '../src/adapters/csv/streaming-csv-decoder.js';
import { stagedRowRules } from '../src/application/staged-row-rules.js';
import type { GroupData, SourcedBatch } from '../src/domain/group-data.js';
import { rowHashes } from '../src/domain/row-hashes.js';
import { validateGroup } from '../src/domain/validation/group-rules.js';
import { mergeVerdicts } from '../src/domain/validation/merge-verdicts.js';
import { benchFile, DEFAULT_ITEMS, ensureBenchData } from './io-data.js';

const option = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const items = option('--items', DEFAULT_ITEMS);
const runs = option('--runs', 3);

/** the file's batches as the staged rows load hands them over (with their row hashes) */
const load = async (path: string): Promise<SourcedBatch[]> => {
  const out: SourcedBatch[] = [];
  for await (const e of new StreamingCsvDecoder().decode(createReadStream(path), path)) {
    if (e.kind === 'batch') out.push({ file: path, batch: e.batch, hashes: rowHashes(e.batch) });
  }
  return out;
};

await ensureBenchData(items);
const data: GroupData = {
  products: await load(benchFile('products', items)),
  orders: await load(benchFile('orders', items)),
  items: await load(benchFile('order_items', items)),
};
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const round = (s: number): number => Math.round(s * 1000) / 1000;
// the collector's pauses (main thread), so a part's CPU can be told apart from the GC it causes
const gcs: PerformanceEntry[] = [];
const observer = new PerformanceObserver((list) => void gcs.push(...list.getEntries()));
observer.observe({ entryTypes: ['gc'] });
const gcSeconds = (from: number, to: number): number =>
  gcs.filter((e) => e.startTime >= from && e.startTime < to).reduce((s, e) => s + e.duration, 0) /
  1000;
// gc entries reach the observer a little after the pause, on a later turn of the event loop
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));
const results = [];
for (let run = 0; run < runs; run++) {
  const w0 = performance.now();
  const t0 = cpu();
  const group = validateGroup('bench', data);
  const t1 = cpu();
  const w1 = performance.now();
  const rows = stagedRowRules(data);
  const t2 = cpu();
  const w2 = performance.now();
  const merged = mergeVerdicts('bench', [group, ...rows]);
  const t3 = cpu();
  await settle();
  results.push({
    validate_group_cpu_s: round(t1 - t0),
    validate_group_gc_s: round(gcSeconds(w0, w1)),
    row_rules_cpu_s: round(t2 - t1),
    row_rules_gc_s: round(gcSeconds(w1, w2)),
    merge_cpu_s: round(t3 - t2),
    total_cpu_s: round(t3 - t0),
    ok: merged.ok,
    rules: Object.fromEntries(merged.rules.map((r) => [r.rule, [r.checked, r.failed]])),
  });
}
observer.disconnect();
console.log(JSON.stringify({ items, runs: results }, null, 2));
