// Staged files carry each row's content hash (the `_hash` column): read back, with any column
// projection and batch size, they are rowHashWords of the rows as written, so a reader never
// hashes again; a file staged before the column existed answers null (the caller hashes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParquetStagingCodec } from '../../../src/adapters/parquet/parquet-staging-codec.js';
import { ParquetWorkerCodec } from '../../../src/adapters/parquet/parquet-worker-codec.js';
import type { StagingCodec } from '../../../src/ports/staging-codec.port.js';
import type { ColumnBatch } from '../../../src/domain/columns.js';
import { rowHashWords } from '../../../src/domain/row-hashes.js';
import { ITEMS_HEADER, decodeAll } from './csv-helpers.js';
import { withoutHashColumn } from './legacy-staging.js';

// both codecs' writers (the worker one encodes every file on its worker here), with the runs of
// the property: many inline, few on the worker (a worker thread per file, ~10x slower a run)
const CODECS: readonly [string, StagingCodec, number][] = [
  ['ParquetStagingCodec', new ParquetStagingCodec({ rowGroupRows: 4 }), 100],
  [
    'ParquetWorkerCodec',
    new ParquetWorkerCodec({ rowGroupRows: 4, minRows: 1, spareCore: () => true }),
    8,
  ],
];

const cell = fc.constantFrom('', 'a', 'b,c', '7', 'x y');
const itemsCsv = fc
  .array(fc.tuple(cell, cell, cell, fc.constantFrom('', '1.50', '-3', '0')), { maxLength: 20 })
  .map(
    (rows) =>
      `${ITEMS_HEADER}\n` +
      rows.map(([a, b, c, p], i) => `i${i},"${a}","${b}","${c}",delivered,,,,,${p}`).join('\n'),
  );

const stage = async (codec: StagingCodec, batches: readonly ColumnBatch[]): Promise<Uint8Array> => {
  const writer = codec.writer('order_items');
  for (const b of batches) writer.append(b);
  return writer.finish();
};

const readHashes = async (codec: StagingCodec, bytes: Uint8Array, columns?: string[]) => {
  const words: number[] = [];
  let sawNull = false;
  for await (const { batch, hashes } of codec.readHashed(bytes, 'order_items', {
    batchSize: 3,
    ...(columns ? { columns } : {}),
  })) {
    if (hashes === null) sawNull = true;
    else {
      expect(hashes).toHaveLength(2 * batch.length);
      words.push(...hashes);
    }
  }
  return { words, sawNull };
};

describe.each(CODECS)('staged row hashes (%s)', (_, codec, propertyRuns) => {
  it('reads back rowHashWords of every row written, whatever columns are read', async () => {
    await fc.assert(
      fc.asyncProperty(itemsCsv, async (csv) => {
        const { batches } = await decodeAll(csv);
        const bytes = await stage(codec, batches);
        const expected = batches.flatMap((b) => [...rowHashWords(b)]);
        for (const columns of [undefined, ['id'], ['sale_price', 'order_id']]) {
          const { words, sawNull } = await readHashes(codec, bytes, columns);
          expect(sawNull).toBe(false);
          expect(words).toEqual(expected);
        }
      }),
      { numRuns: propertyRuns },
    );
  });

  it('stores the hashes the writer is given (the landing hashes each row once)', async () => {
    const [batch] = (await decodeAll(`${ITEMS_HEADER}\ni1,o1,u1,p1,delivered,,,,,1.00`)).batches;
    if (batch === undefined) throw new Error('no batch');
    const writer = codec.writer('order_items');
    writer.append(batch, Uint32Array.of(0xdeadbeef, 0x01234567));
    const { words } = await readHashes(codec, await writer.finish(), ['id']);
    expect(words).toEqual([0xdeadbeef, 0x01234567]);
  });

  it('answers null hashes for a file staged without them, with the same rows', async () => {
    const { batches } = await decodeAll(
      `${ITEMS_HEADER}\ni1,o1,u1,p1,delivered,,,,,1.00\ni2,o1,u1,p2,,,,,,`,
    );
    const legacy = withoutHashColumn(await stage(codec, batches));
    const { words, sawNull } = await readHashes(codec, legacy, ['id']);
    expect(sawNull).toBe(true);
    expect(words).toEqual([]);
    const rows: ColumnBatch[] = [];
    for await (const b of codec.read(legacy, 'order_items')) rows.push(b);
    expect(rows.flatMap((b) => [...rowHashWords(b)])).toEqual(
      batches.flatMap((b) => [...rowHashWords(b)]),
    );
  });
});
