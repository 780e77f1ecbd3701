// Every file of the shared lab-data sample decodes cleanly, passes the landing rules, and survives
// a Parquet round trip column by column.
import { readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ColumnBatch } from '../../../src/domain/columns.js';
import { SCHEMAS } from '../../../src/domain/datasets.js';
import { createFileValidator } from '../../../src/domain/validation/file-validator.js';
import { ParquetStagingCodec } from '../../../src/adapters/parquet/parquet-staging-codec.js';
import { column, decoder, lines } from './csv-helpers.js';
import { sharedFixture } from '../../support/shared-fixtures.js';

const fixture = sharedFixture('lab-data');
const labData = fixture.path;
const files = fixture.present
  ? [
      'products.csv',
      ...['orders', 'order_items'].flatMap((d) =>
        readdirSync(join(labData, d)).map((f) => join(d, f)),
      ),
    ]
  : [];

async function* readFile(path: string): AsyncIterable<Uint8Array> {
  const handle = await open(path);
  try {
    for await (const chunk of handle.createReadStream({ highWaterMark: 64 * 1024 }))
      yield chunk as Uint8Array;
  } finally {
    await handle.close();
  }
}

describe.skipIf(!fixture.present)(
  'lab-data fixtures (skipped: ../shared/fixtures/lab-data is absent)',
  () => {
    it('holds the 26 files', () => expect(files).toHaveLength(26));

    it.each(files)('%s decodes, validates and round-trips through Parquet', async (name) => {
      const batches: ColumnBatch[] = [];
      let validator: ReturnType<typeof createFileValidator> | undefined;
      for await (const e of decoder.decode(readFile(join(labData, name)), name, {
        batchSize: 4096,
      })) {
        expect(e.kind).not.toBe('problem');
        if (e.kind === 'header') {
          expect(e.extra).toEqual([]);
          validator = createFileValidator({
            file: name,
            dataset: e.dataset,
            extraColumns: e.extra,
          });
        } else if (e.kind === 'batch') {
          expect(e.parseFailures).toEqual([]);
          validator?.add(e.batch, e.parseFailures);
          batches.push(e.batch);
        }
      }
      const verdict = validator?.finish().verdict;
      if (name === 'products.csv') {
        // the sample has 105 products with an empty brand, which the spec makes required
        expect(verdict?.rules.filter((r) => r.failed > 0).map((r) => [r.rule, r.failed])).toEqual([
          ['required.not-null', 105],
        ]);
        expect(verdict?.rules.find((r) => r.failed > 0)?.samples[0]).toMatchObject({
          line: 73,
          key: '72',
          column: 'brand',
        });
      } else expect(verdict?.ok).toBe(true);
      const dataset = batches[0]?.dataset ?? 'products';
      expect(name.startsWith(dataset === 'products' ? 'products' : `${dataset}/`)).toBe(true);

      const codec = new ParquetStagingCodec();
      const w = codec.writer(dataset);
      for (const b of batches) w.append(b);
      const back: ColumnBatch[] = [];
      for await (const b of codec.read(await w.finish(), dataset)) back.push(b);
      for (const c of SCHEMAS[dataset].columns)
        expect(column(back, c.name), c.name).toEqual(column(batches, c.name));
      expect(lines(back)).toEqual(lines(batches));
    });
  },
);
