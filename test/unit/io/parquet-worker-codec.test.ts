// ParquetWorkerCodec: a staged file Parquet-encoded on a worker thread is byte for byte the file
// the inline writer makes, whatever the batches, the row-group size and the first flush; a failing
// or stopped worker fails finish() with a clear error; small files and a busy machine stay
// inline; and no worker holds a process open (a child process that never closes the codec, and
// abandons a writer midway, still exits). The codec contract runs over it in
// parquet-staging-codec.test.ts and staged-hashes.test.ts.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ParquetStagingCodec } from '../../../src/adapters/parquet/parquet-staging-codec.js';
import { ParquetWorkerCodec } from '../../../src/adapters/parquet/parquet-worker-codec.js';
import { WorkerRowGroupSink } from '../../../src/adapters/parquet/parquet-worker-sink.js';
import type { ColumnBatch } from '../../../src/domain/columns.js';
import { rowHashWords } from '../../../src/domain/row-hashes.js';
import type { StagingCodec } from '../../../src/ports/staging-codec.port.js';
import { ITEMS_HEADER, column, decodeAll } from './csv-helpers.js';

const cell = fc.constantFrom('', 'a', 'b,c', '7', 'Ünï', 'x y', '🙂');
const status = fc.constantFrom('', 'delivered', 'Returned', 'shipped', 'pending');
const stamp = fc.constantFrom('', '2025-03-01T10:00:00.123', '1970-01-01 00:00:00+02:00');
const price = fc.oneof(
  fc.constant(''),
  fc.integer({ min: -(10 ** 12), max: 10 ** 12 }).map(String),
);
const itemsCsv = fc
  .array(fc.tuple(cell, cell, cell, status, stamp, stamp, price), { minLength: 1, maxLength: 40 })
  .map(
    (rows) =>
      `${ITEMS_HEADER}\n` +
      rows
        .map(([o, u, p, s, c, d, m], i) => `i${i},"${o}","${u}","${p}",${s},${c},,${d},,${m}`)
        .join('\n'),
  );

const write = async (codec: StagingCodec, batches: readonly ColumnBatch[]) => {
  const w = codec.writer('order_items');
  for (const b of batches) w.append(b);
  return Buffer.from(await w.finish());
};

const { batches: sample } = await decodeAll(
  `${ITEMS_HEADER}\n` +
    Array.from(
      { length: 30 },
      (_, i) => `i${i},o${i >> 2},u1,p${i % 3},delivered,,,,,${i}.25`,
    ).join('\n'),
  { batchSize: 4 },
);

describe('ParquetWorkerCodec', () => {
  it('writes the inline writer’s bytes, any batches, row groups and first flush (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        itemsCsv,
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 30 }),
        async (csv, batchSize, rowGroupRows, minRows) => {
          const { batches } = await decodeAll(csv, { batchSize });
          const inline = new ParquetStagingCodec({ rowGroupRows });
          const worker = new ParquetWorkerCodec({ rowGroupRows, minRows, spareCore: () => true });
          const [a, b] = [await write(inline, batches), await write(worker, batches)];
          expect(b.equals(a)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a file of fewer than minRows rows, or any file on a busy machine, is encoded inline', async () => {
    const spare = vi.fn(() => true);
    const small = new ParquetWorkerCodec({ rowGroupRows: 8, minRows: 31, spareCore: spare });
    expect((await write(small, sample)).length).toBeGreaterThan(0);
    expect(spare).not.toHaveBeenCalled();
    // 30 rows reach minRows 16: the worker is asked for, but no core is to spare
    const busy = vi.fn(() => false);
    const inline = new ParquetWorkerCodec({ rowGroupRows: 8, minRows: 16, spareCore: busy });
    const bytes = await write(inline, sample);
    expect(busy).toHaveBeenCalledTimes(1);
    expect(bytes.equals(await write(new ParquetStagingCodec({ rowGroupRows: 8 }), sample))).toBe(
      true,
    );
    const back: ColumnBatch[] = [];
    for await (const b of inline.read(bytes, 'order_items')) back.push(b);
    expect(column(back, 'sale_price')).toEqual(column(sample, 'sale_price'));
  });

  it('sends batches as their buffers, keeping the caller’s lines, hashes and columns', async () => {
    const codec = new ParquetWorkerCodec({ rowGroupRows: 4, minRows: 1, spareCore: () => true });
    const w = codec.writer('order_items');
    const kept: { hashes: Uint32Array; lines: number[]; ids: unknown[] }[] = [];
    for (const b of sample) {
      const hashes = rowHashWords(b);
      w.append(b, hashes);
      kept.push({ hashes, lines: [...b.lines], ids: [...column([b], 'id')] });
    }
    const bytes = Buffer.from(await w.finish());
    // the landing reads them after append (its register's keys): none was transferred away
    sample.forEach((b, i) => {
      const k = kept[i] as (typeof kept)[number];
      expect(k.hashes.byteLength).toBe(8 * b.length);
      expect(k.hashes).toEqual(rowHashWords(b));
      expect([...b.lines]).toEqual(k.lines);
    });
    expect(bytes.equals(await write(new ParquetStagingCodec({ rowGroupRows: 4 }), sample))).toBe(
      true,
    );
  });

  it('a worker that fails fails finish() with its error', async () => {
    const sink = new WorkerRowGroupSink(8);
    sink.push(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)); // not an Arrow IPC stream
    const error = await sink.finish().then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/^the staging Parquet encode worker failed: \S/);
    expect(error?.cause).toBeInstanceOf(Error);
  });

  it('a worker stopped before it answers fails finish(); the next file starts another', async () => {
    const codec = new ParquetWorkerCodec({ rowGroupRows: 4, minRows: 1, spareCore: () => true });
    const w = codec.writer('order_items');
    for (const b of sample) w.append(b);
    await codec.close();
    await expect(w.finish()).rejects.toThrow(/encode worker stopped \(exit code \d+\) before/);
    const again = await write(codec, sample);
    expect(again.equals(await write(new ParquetStagingCodec({ rowGroupRows: 4 }), sample))).toBe(
      true,
    );
  });

  it('no worker keeps the process alive: finished, or abandoned before finish()', () => {
    const script = join(import.meta.dirname, 'parquet-worker-exit.fixture.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      cwd: join(import.meta.dirname, '..', '..', '..'),
      timeout: 120_000,
    });
    expect(run.stderr).toBe('');
    expect([run.status, run.signal, run.stdout.trim()]).toEqual([0, null, 'staged 30 rows']);
  });
});
