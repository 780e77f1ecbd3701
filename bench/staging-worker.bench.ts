// `npx tsx bench/staging-worker.bench.ts [dataset] [rows...]`: the staging Parquet encode inline
// and on the encode worker (ParquetWorkerCodec), over the first N rows of the bench CSV (decoded
// beforehand, so only the staging writer is measured). Prints per size and writer: wall ms from
// the first append to the finished bytes, CPU ms of the main thread (its /proc task) and of all
// threads, and whether the two writers' bytes are equal. For the worker threshold.
import { createReadStream, readFileSync } from 'node:fs';
import { StreamingCsvDecoder } from '../src/adapters/csv/streaming-csv-decoder.js';
import { ParquetStagingCodec } from '../src/adapters/parquet/parquet-staging-codec.js';
import { ParquetWorkerCodec } from '../src/adapters/parquet/parquet-worker-codec.js';
import type { ColumnBatch } from '../src/domain/columns.js';
import type { DatasetName } from '../src/domain/datasets.js';
import { selectRows } from '../src/application/staged-rows.js';
import { benchFile } from './io-data.js';

const dataset = (process.argv[2] ?? 'order_items') as DatasetName;
const sizes = process.argv.slice(3).map(Number);
const csv = benchFile(dataset);
const all: ColumnBatch[] = [];
for await (const e of new StreamingCsvDecoder().decode(
  createReadStream(csv, { highWaterMark: 1 << 20 }),
  csv,
))
  if (e.kind === 'batch') all.push(e.batch);

const mainCpuMs = (): number => {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};
const first = (n: number): ColumnBatch[] => {
  const out: ColumnBatch[] = [];
  let left = n;
  for (const b of all) {
    if (left <= 0) break;
    out.push(
      b.length <= left
        ? b
        : selectRows(
            b,
            Array.from({ length: left }, (_, i) => i),
          ),
    );
    left -= b.length;
  }
  return out;
};

const codecs = {
  inline: new ParquetStagingCodec(),
  worker: new ParquetWorkerCodec({ minRows: 1, spareCore: () => true }),
};
for (const n of sizes.length > 0 ? sizes : [all.reduce((s, b) => s + b.length, 0)]) {
  const batches = first(n);
  const bytes: Record<string, Uint8Array> = {};
  for (const [name, codec] of Object.entries(codecs)) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const main = mainCpuMs();
    const w = codec.writer(dataset);
    for (const b of batches) w.append(b);
    bytes[name] = await w.finish();
    const c = process.cpuUsage(cpu);
    console.log(
      JSON.stringify({
        rows: n,
        writer: name,
        wallMs: Math.round(performance.now() - t),
        mainCpuMs: mainCpuMs() - main,
        cpuMs: Math.round((c.user + c.system) / 1000),
      }),
    );
  }
  console.log(
    JSON.stringify({
      rows: n,
      equal: Buffer.from(bytes['inline'] as Uint8Array).equals(bytes['worker'] as Uint8Array),
      size: bytes['inline']?.length,
    }),
  );
}
