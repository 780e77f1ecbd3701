// `npm run bench:io`: the columnar hot path on ~1M order_items rows, one child process per stage
// so each stage's peak RSS (process.resourceUsage().maxRSS) is its own, plus DuckDB reading and
// aggregating the same CSV as a baseline.
import { spawnSync } from 'node:child_process';
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { StreamingCsvDecoder } from '../src/adapters/csv/streaming-csv-decoder.js';
import { ParquetStagingCodec } from '../src/adapters/parquet/parquet-staging-codec.js';
import type { ColumnBatch, NumberColumn } from '../src/domain/columns.js';
import { createFileValidator } from '../src/domain/validation/file-validator.js';
import { BENCH_DIR, benchFile, ensureBenchData } from './io-data.js';

interface StageResult {
  readonly rows: number;
  readonly bytes: number;
  /** seconds spent in the measured step */
  readonly seconds: number;
  readonly note?: string;
}

/** cpuSeconds: CPU time of the whole stage (all threads), steadier than wall time on a busy box */
type Measured = StageResult & { maxRssKb: number; cpuSeconds: number };

const CSV = benchFile('order_items');
const PARQUET = join(BENCH_DIR, 'order_items.parquet');
const csvBytes = (): number => statSync(CSV).size;

async function* batches(
  onBatch?: (b: ColumnBatch, f: number) => void,
): AsyncGenerator<ColumnBatch> {
  for await (const e of new StreamingCsvDecoder().decode(
    createReadStream(CSV, { highWaterMark: 1 << 20 }),
    CSV,
  )) {
    if (e.kind === 'problem') throw new Error(e.problem.message);
    if (e.kind === 'batch') {
      onBatch?.(e.batch, e.parseFailures.length);
      yield e.batch;
    }
  }
}

/** revenue in cents per UTC day of created_at: the same aggregate DuckDB is asked for */
function revenuePerDay(b: ColumnBatch, into: Map<number, number>): void {
  const created = b.columns['created_at'] as NumberColumn;
  const price = b.columns['sale_price'] as NumberColumn;
  for (let i = 0; i < b.length; i++) {
    if (created.valid[i] !== 1 || price.valid[i] !== 1) continue;
    const day = Math.floor((created.values[i] as number) / 86_400_000);
    into.set(day, (into.get(day) ?? 0) + (price.values[i] as number));
  }
}

const STAGES: Record<string, () => Promise<StageResult>> = {
  async 'csv->batches'() {
    const t = performance.now();
    let rows = 0;
    for await (const b of batches()) rows += b.length;
    return { rows, bytes: csvBytes(), seconds: (performance.now() - t) / 1000 };
  },
  async validation() {
    let rows = 0;
    let spent = 0;
    let v: ReturnType<typeof createFileValidator> | undefined;
    for await (const b of batches()) {
      v ??= createFileValidator({ file: CSV, dataset: b.dataset, extraColumns: [] });
      const t = performance.now();
      v.add(b, []);
      spent += performance.now() - t;
      rows += b.length;
    }
    const t = performance.now();
    const ok = v?.finish().verdict.ok;
    spent += performance.now() - t;
    return {
      rows,
      bytes: csvBytes(),
      seconds: spent / 1000,
      note: `verdict ok=${ok} (time of the rules only)`,
    };
  },
  async 'batches->parquet'() {
    const codec = new ParquetStagingCodec();
    const w = codec.writer('order_items');
    let rows = 0;
    let spent = 0;
    const t0 = performance.now();
    for await (const b of batches()) {
      const t = performance.now();
      w.append(b);
      spent += performance.now() - t;
      rows += b.length;
    }
    const t = performance.now();
    const bytes = await w.finish();
    spent += performance.now() - t;
    writeFileSync(PARQUET, bytes);
    const total = (performance.now() - t0) / 1000;
    return {
      rows,
      bytes: csvBytes(),
      seconds: spent / 1000,
      note: `Parquet ${(bytes.length / 1e6).toFixed(1)} MB; whole CSV->Parquet conversion ${total.toFixed(2)} s (peak RSS is of the whole conversion)`,
    };
  },
  async 'parquet->batches'() {
    const bytes = readFileSync(PARQUET);
    const t = performance.now();
    let rows = 0;
    for await (const b of new ParquetStagingCodec().read(bytes, 'order_items', {
      batchSize: 131_072,
    })) {
      rows += b.length;
    }
    return { rows, bytes: bytes.length, seconds: (performance.now() - t) / 1000 };
  },
  async 'csv->revenue/day (ours)'() {
    const t = performance.now();
    const days = new Map<number, number>();
    let rows = 0;
    for await (const b of batches()) {
      revenuePerDay(b, days);
      rows += b.length;
    }
    const total = [...days.values()].reduce((a, b) => a + b, 0);
    return {
      rows,
      bytes: csvBytes(),
      seconds: (performance.now() - t) / 1000,
      note: `${days.size} days, total ${total} cents`,
    };
  },
  async 'csv->revenue/day (duckdb)'() {
    const t = performance.now();
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const path = CSV.replaceAll("'", "''");
    const reader = await conn.runAndReadAll(
      `SELECT CAST(created_at AS DATE) AS day, SUM(sale_price) AS revenue, COUNT(*) AS n
         FROM read_csv('${path}', header = true,
                       types = {'sale_price': 'DECIMAL(12,2)', 'created_at': 'TIMESTAMP'})
        GROUP BY day`,
    );
    const rows = reader.getRows();
    const n = rows.reduce((a, r) => a + Number(r[2]), 0);
    const total = rows.reduce((a, r) => a + Math.round(Number(String(r[1])) * 100), 0);
    conn.closeSync();
    return {
      rows: n,
      bytes: csvBytes(),
      seconds: (performance.now() - t) / 1000,
      note: `${rows.length} days, total ${total} cents`,
    };
  },
};

async function child(stage: string): Promise<void> {
  const run = STAGES[stage];
  if (run === undefined) throw new Error(`unknown stage ${stage}`);
  const cpu = process.cpuUsage();
  const r = await run();
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  process.stdout.write(
    JSON.stringify({ ...r, cpuSeconds, maxRssKb: process.resourceUsage().maxRSS }),
  );
}

async function main(): Promise<void> {
  await ensureBenchData();
  const self = fileURLToPath(import.meta.url);
  const results: Record<string, Measured> = {};
  console.log(
    `node ${process.version}, ${process.platform}/${process.arch}; input ${CSV} (${(csvBytes() / 1e6).toFixed(1)} MB)`,
  );
  console.log(
    'stage                        rows     seconds   rows/s      MB/s    peak RSS MB  CPU s (whole stage)  note',
  );
  for (const stage of Object.keys(STAGES)) {
    const out = spawnSync(process.execPath, ['--import', 'tsx', self, '--stage', stage], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (out.status !== 0) throw new Error(`stage ${stage} failed:\n${out.stderr}`);
    const r = JSON.parse(out.stdout) as Measured;
    results[stage] = r;
    console.log(
      [
        stage.padEnd(26),
        String(r.rows).padStart(9),
        r.seconds.toFixed(2).padStart(9),
        Math.round(r.rows / r.seconds)
          .toLocaleString('en-US')
          .padStart(11),
        (r.bytes / 1e6 / r.seconds).toFixed(1).padStart(8),
        (r.maxRssKb / 1024).toFixed(0).padStart(10),
        r.cpuSeconds.toFixed(2).padStart(19),
        `  ${r.note ?? ''}`,
      ].join(' '),
    );
  }
  const ours = results['csv->revenue/day (ours)'];
  const duck = results['csv->revenue/day (duckdb)'];
  if (ours !== undefined && duck !== undefined) {
    console.log(
      `DuckDB ratio: ours takes ${(ours.seconds / duck.seconds).toFixed(1)}x DuckDB's time for the same CSV aggregate`,
    );
  }
  const conversion = results['batches->parquet'];
  if (conversion !== undefined) {
    const mb = conversion.maxRssKb / 1024;
    console.log(
      `CSV->Parquet peak RSS ${mb.toFixed(0)} MB (${mb < 600 ? 'under' : 'OVER'} the 600 MB budget)`,
    );
  }
}

const at = process.argv.indexOf('--stage');
const stage = at === -1 ? undefined : process.argv[at + 1];
await (stage === undefined ? main() : child(stage));
