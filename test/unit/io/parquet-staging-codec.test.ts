import * as arrow from 'apache-arrow';
import { parseTable } from 'arrow-js-ffi';
import fc from 'fast-check';
import * as pw from 'parquet-wasm';
import { describe, expect, it, vi } from 'vitest';
import type { ColumnBatch } from '../../../src/domain/columns.js';
import { SCHEMAS } from '../../../src/domain/datasets.js';
import {
  ParquetStagingCodec,
  blobOver,
} from '../../../src/adapters/parquet/parquet-staging-codec.js';
import { ParquetWorkerCodec } from '../../../src/adapters/parquet/parquet-worker-codec.js';
import type { StagingCodec } from '../../../src/ports/staging-codec.port.js';
import { ITEMS_HEADER, column, decodeAll, lines } from './csv-helpers.js';

// the contract of both codecs: the worker one encodes every file on its worker here (no size
// threshold, no spare-core check), so each write below crosses to a worker thread. The third
// element is the number of runs of the properties: many on the inline codec (~40 ms a run), few
// on the worker one (~350 ms a run: a worker thread started per file), whose bytes equal the
// inline writer's by its own property (parquet-worker-codec.test.ts).
const CODECS: readonly [string, (rowGroupRows?: number) => StagingCodec, number][] = [
  ['ParquetStagingCodec', (rowGroupRows) => new ParquetStagingCodec({ rowGroupRows }), 100],
  [
    'ParquetWorkerCodec',
    (rowGroupRows) => new ParquetWorkerCodec({ rowGroupRows, minRows: 1, spareCore: () => true }),
    10,
  ],
];

type ProductRow = { id: string; category: string | null; name: string | null; cost: number | null };
function productBatch(rows: readonly ProductRow[], firstLine: number): ColumnBatch {
  const text = (f: (r: ProductRow) => string | null) => ({
    type: 'string' as const,
    values: rows.map(f),
  });
  const money = (f: (r: ProductRow) => number | null) => ({
    type: 'money' as const,
    values: Float64Array.from(rows, (r) => f(r) ?? 0),
    valid: Uint8Array.from(rows, (r) => (f(r) === null ? 0 : 1)),
  });
  return {
    dataset: 'products',
    length: rows.length,
    lines: Uint32Array.from(rows, (_, i) => firstLine + i),
    columns: {
      id: text((r) => r.id),
      sku: text((r) => r.id),
      cost: money((r) => r.cost),
      category: text((r) => r.category),
      name: text((r) => r.name),
      brand: text(() => 'b'),
      // 0 - cost, not -cost: a cost of 0 would give -0, which no INT64 column can hold back
      retail_price: money((r) => (r.cost === null ? null : 0 - r.cost)),
      department: text((r) => r.category),
    },
  };
}

async function readAll(
  codec: StagingCodec,
  bytes: Uint8Array,
  columns?: string[],
  batchSize?: number,
): Promise<ColumnBatch[]> {
  const out: ColumnBatch[] = [];
  for await (const b of codec.read(bytes, 'order_items', { columns, batchSize })) out.push(b);
  return out;
}

const csv =
  `${ITEMS_HEADER}\n` +
  '1,o1,u1,p1,delivered,2025-03-01T10:00:00.123,,,,19.99\n' +
  '2,o1,u1,p2,returned,2025-03-01 23:30:00-02:00,2025-03-02T00:00:00Z,,2025-03-09T00:00:00,-0.01\n' +
  '3,o2,,p3,,,,,,\n' +
  '4,"o,3",u3,p4,Shipped,1970-01-01T00:00:00,,,,12345678901.23\n' +
  '5,o3,u3,p5,pending,2025-03-01T10:00:00,,,,0\n';

describe.each(CODECS)('%s', (_, make, propertyRuns) => {
  const codec = make();
  it('round-trips every column exactly, nulls and source lines included, across batches', async () => {
    const { batches } = await decodeAll(csv, { batchSize: 2 });
    const w = codec.writer('order_items');
    for (const b of batches) w.append(b);
    const back = await readAll(codec, await w.finish());
    for (const c of SCHEMAS.order_items.columns)
      expect(column(back, c.name)).toEqual(column(batches, c.name));
    expect(lines(back)).toEqual([2, 3, 4, 5, 6]);
    expect(back.every((b) => b.dataset === 'order_items')).toBe(true);
  });

  it('reads only the selected columns, in batches of the asked size', async () => {
    const { batches } = await decodeAll(csv);
    const w = codec.writer('order_items');
    for (const b of batches) w.append(b);
    const back = await readAll(codec, await w.finish(), ['sale_price', 'order_id'], 2);
    expect(back.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(Object.keys(back[0]?.columns ?? {}).sort()).toEqual(['order_id', 'sale_price']);
    expect(column(back, 'sale_price')).toEqual([1999, -1, null, 1234567890123, 0]);
  });

  it('writes LZ4_RAW, typed logical columns and dictionary-encoded statuses', async () => {
    const { batches } = await decodeAll(csv);
    const w = codec.writer('order_items');
    for (const b of batches) w.append(b);
    const file = await pw.ParquetFile.fromFile(new Blob([await w.finish()]));
    const meta = file.metadata();
    const chunk = meta
      .rowGroup(0)
      .columns()
      .map((c) => [c.columnPath().join('.'), c.compression()]);
    expect(new Set(chunk.map(([, z]) => z))).toEqual(new Set([pw.Compression.LZ4_RAW]));
    const ffi = (await file.read()).intoFFI();
    const table = parseTable(pw.wasmMemory().buffer, ffi.arrayAddrs(), ffi.schemaAddr(), true);
    ffi.free();
    file.free();
    const types = Object.fromEntries(table.schema.fields.map((f: arrow.Field) => [f.name, f.type]));
    expect(types['created_at']).toBeInstanceOf(arrow.Timestamp);
    expect(types['created_at']).toMatchObject({
      unit: arrow.TimeUnit.MILLISECOND,
      timezone: 'UTC',
    });
    expect(types['sale_price']).toBeInstanceOf(arrow.Int64);
    expect(types['status']).toBeInstanceOf(arrow.Dictionary);
    expect(types['order_id']).toBeInstanceOf(arrow.Utf8);
    expect(types['_line']).toBeInstanceOf(arrow.Uint32);
  });

  it('round-trips any values: unicode text, nulls, big and negative numbers (property)', async () => {
    const cell = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
    const row = fc.record({
      id: fc.string({ minLength: 1 }),
      category: cell(fc.constantFrom('Beauty', 'Shoes, Bags', 'Électronique', '')),
      // repeats (a repeated value is shared as one string) next to values of equal length
      name: cell(
        fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('ab', 'ba', 'é', 'e', '')),
      ),
      cost: cell(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 })),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(row, { maxLength: 20 }), { minLength: 1, maxLength: 4 }),
        async (parts) => {
          const batches = parts.map((rows, k) => productBatch(rows, k * 100));
          const w = codec.writer('products');
          for (const b of batches) w.append(b);
          const back: ColumnBatch[] = [];
          for await (const b of codec.read(await w.finish(), 'products')) back.push(b);
          for (const c of ['id', 'category', 'name', 'cost', 'retail_price']) {
            expect(column(back, c)).toEqual(column(batches, c));
          }
          expect(lines(back)).toEqual(lines(batches));
        },
      ),
      { numRuns: propertyRuns },
    );
  });

  it('reads shared-value columns as the same values, repeats and nulls included (property)', async () => {
    const name = fc.option(
      fc.oneof(fc.string({ unit: 'binary', maxLength: 3 }), fc.constantFrom('p1', 'p2', 'é')),
      { nil: null },
    );
    const row = fc.record({
      id: name.map((v) => v ?? 'x'),
      category: name,
      name,
      cost: fc.constant(1),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 60 }),
        fc.integer({ min: 1, max: 25 }),
        async (rows, batchSize) => {
          const w = codec.writer('products');
          w.append(productBatch(rows, 0));
          const bytes = await w.finish();
          const read = async (shared?: string[]) => {
            const out: ColumnBatch[] = [];
            for await (const b of codec.read(bytes, 'products', { batchSize, shared })) out.push(b);
            return out;
          };
          const plain = await read();
          const shared = await read(['id', 'name', 'category']);
          for (const c of ['id', 'category', 'name']) {
            expect(column(shared, c)).toEqual(column(plain, c));
            expect(column(shared, c)).toEqual(rows.map((r) => r[c as 'id' | 'name' | 'category']));
          }
        },
      ),
      { numRuns: propertyRuns },
    );
  });

  it('streams a file of many row groups, each flushed as it fills, and reads it back whole', async () => {
    const { batches } = await decodeAll(csv, { batchSize: 1 });
    const small = make(2);
    const w = small.writer('order_items');
    for (const b of batches) w.append(b);
    const bytes = await w.finish();
    const file = await pw.ParquetFile.fromFile(new Blob([bytes]));
    expect(file.metadata().numRowGroups()).toBe(3);
    file.free();
    const back = await readAll(codec, bytes);
    for (const c of SCHEMAS.order_items.columns)
      expect(column(back, c.name)).toEqual(column(batches, c.name));
    expect(lines(back)).toEqual([2, 3, 4, 5, 6]);
  });

  it('an empty writer gives a readable file with no rows', async () => {
    expect(await readAll(codec, await codec.writer('order_items').finish())).toEqual([]);
  });

  it('refuses a batch of another dataset and unknown columns', async () => {
    const { batches } = await decodeAll(csv);
    expect(() => codec.writer('orders').append(batches[0] as ColumnBatch)).toThrow(
      /order_items batch/,
    );
    await expect(
      readAll(codec, await codec.writer('order_items').finish(), ['nope']),
    ).rejects.toThrow(/no column/);
  });
});

describe('blobOver', () => {
  it('answers the size and the bytes of any slice as a Blob of the same bytes does (property)', async () => {
    const bound = fc.integer({ min: -40, max: 40 });
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 32 }),
        fc.integer({ min: 0, max: 8 }),
        fc.array(
          fc.tuple(fc.option(bound, { nil: undefined }), fc.option(bound, { nil: undefined })),
          {
            maxLength: 3,
          },
        ),
        async (data, pad, slices) => {
          // a view into a bigger buffer, as a Buffer from a pool is
          const backing = new Uint8Array(data.length + 2 * pad).fill(0xee);
          backing.set(data, pad);
          const bytes = backing.subarray(pad, pad + data.length);
          let ours = blobOver(bytes);
          let theirs = new Blob([data]);
          for (const [start, end] of slices) {
            ours = ours.slice(start, end);
            theirs = theirs.slice(start, end);
          }
          expect(ours.size).toBe(theirs.size);
          expect(new Uint8Array(await ours.arrayBuffer())).toEqual(
            new Uint8Array(await theirs.arrayBuffer()),
          );
        },
      ),
    );
  });

  it('the codec reads a file without copying it whole into a Blob', async () => {
    const codec = new ParquetStagingCodec();
    const { batches } = await decodeAll(csv);
    const writer = codec.writer('order_items');
    for (const b of batches) writer.append(b);
    const bytes = await writer.finish();
    const made = vi.spyOn(globalThis, 'Blob');
    try {
      const rows = await readAll(codec, bytes);
      expect(rows.reduce((n, b) => n + b.length, 0)).toBe(5);
      expect(made).not.toHaveBeenCalled();
    } finally {
      made.mockRestore();
    }
  });
});
