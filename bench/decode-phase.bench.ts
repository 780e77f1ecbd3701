// `npx tsx bench/decode-phase.bench.ts [dataset] [runs] [--tree DIR]`: a landing's decode phase
// alone, as LandFile streams it (decodeLanding with the landing rules, rowHashWords, the staging
// writer's append on the encode worker, keyBatchOf posted to an idle worker as the register's
// index does), then the writer's finish. Prints per run the main thread's CPU ms (its /proc task,
// so the workers and the collector's threads are left out) and the wall ms. `--tree` runs another
// checkout's sources (a base to compare with) under the same harness.
import { createReadStream, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { benchFile } from './io-data.js';

const args = process.argv.slice(2);
const treeAt = args.indexOf('--tree');
const tree = resolve(
  treeAt === -1 ? join(import.meta.dirname, '..') : (args[treeAt + 1] as string),
);
const plain = args.filter((_, i) => i !== treeAt && i !== treeAt + 1);
const dataset = (plain[0] ?? 'order_items') as 'order_items' | 'orders' | 'products';
const runs = Number(plain[1] ?? 5);
const load = <M>(path: string): Promise<M> =>
  import(pathToFileURL(join(tree, 'src', path)).href) as Promise<M>;

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

const mainCpuMs = (): number => {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};

const path = benchFile(dataset);
const objects = {
  getStream: () => createReadStream(path, { highWaterMark: 1 << 18 }),
} as unknown as Parameters<typeof decodeLanding>[0];
const register = new Worker('require("node:worker_threads").parentPort.on("message", () => {})', {
  eval: true,
});
const codec = new ParquetWorkerCodec({ spareCore: () => true });
for (let run = 0; run < runs; run++) {
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
  const decodeCpu = mainCpuMs() - cpu;
  const bytes = await writer.finish();
  console.log(
    JSON.stringify({
      dataset,
      run,
      rows,
      ok: decoded.verdict.ok,
      decodeMainCpuMs: decodeCpu,
      mainCpuMs: mainCpuMs() - cpu,
      wallMs: Math.round(performance.now() - t),
      staged: bytes.length,
    }),
  );
}
await register.terminate();
