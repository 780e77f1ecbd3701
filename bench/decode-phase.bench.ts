// `npx tsx bench/decode-phase.bench.ts [dataset] [runs] [--tree DIR]...`: a landing's decode phase
// alone, as LandFile streams it (decodeLanding with the landing rules, rowHashWords, the staging
// writer's append on the encode worker, keyBatchOf posted to an idle worker as the register's
// index does), then the writer's finish. Prints per run the main thread's CPU ms (its /proc task,
// so the workers and the collector's threads are left out) and the wall ms. Each `--tree` runs
// a checkout's sources (a base to compare with), the trees alternating in one process.
import { createReadStream, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { benchFile } from './io-data.js';

const args = process.argv.slice(2);
// every `--tree DIR` given (default: this checkout); runs alternate between them
const trees = args.flatMap((a, i) => (args[i - 1] === '--tree' ? [resolve(a)] : []));
if (trees.length === 0) trees.push(resolve(join(import.meta.dirname, '..')));
const plain = args.filter((a, i) => a !== '--tree' && args[i - 1] !== '--tree');
const dataset = (plain[0] ?? 'order_items') as 'order_items' | 'orders' | 'products';
const runs = Number(plain[1] ?? 5);

const mainCpuMs = (): number => {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};

const path = benchFile(dataset);
const register = new Worker('require("node:worker_threads").parentPort.on("message", () => {})', {
  eval: true,
});

/** one decode phase of the file with a tree's code; main-thread CPU ms and wall ms */
type Phase = () => Promise<Record<string, unknown>>;
async function phaseOf(tree: string): Promise<Phase> {
  const load = <M>(p: string): Promise<M> =>
    import(pathToFileURL(join(tree, 'src', p)).href) as Promise<M>;
  const { decodeLanding } = await load<typeof import('../src/application/decode-landing.js')>(
    'application/decode-landing.ts',
  );
  const { keyBatchOf } = await load<typeof import('../src/application/landing-keys.js')>(
    'application/landing-keys.ts',
  );
  const { rowHashWords } =
    await load<typeof import('../src/domain/row-hashes.js')>('domain/row-hashes.ts');
  const { StreamingCsvDecoder } = await load<
    typeof import('../src/adapters/csv/streaming-csv-decoder.js')
  >('adapters/csv/streaming-csv-decoder.ts');
  const { ParquetWorkerCodec } = await load<
    typeof import('../src/adapters/parquet/parquet-worker-codec.js')
  >('adapters/parquet/parquet-worker-codec.ts');
  const objects = {
    getStream: () => createReadStream(path, { highWaterMark: 1 << 18 }),
  } as unknown as Parameters<typeof decodeLanding>[0];
  const codec = new ParquetWorkerCodec({ spareCore: () => true });
  return async () => {
    const t = performance.now();
    const cpu = mainCpuMs();
    const writer = codec.writer(dataset);
    let rows = 0;
    const decoded = await decodeLanding(
      objects,
      new StreamingCsvDecoder(),
      `incoming/${dataset}/x.csv`,
      {
        keepBatches: false,
        sink: (_, batch) => {
          const hashes = rowHashWords(batch);
          writer.append(batch, hashes);
          register.postMessage(keyBatchOf(batch, hashes));
          rows += batch.length;
        },
      },
    );
    const decodeMainCpuMs = mainCpuMs() - cpu;
    const bytes = await writer.finish();
    return {
      rows,
      ok: decoded.verdict.ok,
      decodeMainCpuMs,
      mainCpuMs: mainCpuMs() - cpu,
      wallMs: Math.round(performance.now() - t),
      staged: bytes.length,
    };
  };
}

const phases = await Promise.all(trees.map(phaseOf));
for (let run = 0; run < runs; run++) {
  for (const [k, phase] of phases.entries()) {
    console.log(JSON.stringify({ tree: trees[k], dataset, run, ...(await phase()) }));
  }
}
await register.terminate();
