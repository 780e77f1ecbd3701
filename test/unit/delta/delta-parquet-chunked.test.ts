// writeParquetChunked hands a table to parquet-wasm a slice at a time (a bound on the wasm memory
// of a big date's file). The file must hold the table's rows, in order, in one row group, as
// writeParquetBytes' file does, whatever the slice size; a table within one slice is the same file
// byte for byte. DuckDB (a reader the bench checks against) reads the same rows.
import { DuckDBInstance } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  readParquetBytes,
  writeParquetBytes,
  writeParquetChunked,
} from '../../../src/adapters/delta/delta-parquet.js';

const scratch = mkdtempSync(join(tmpdir(), 'delta-parquet-chunked-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Row {
  readonly id: string;
  readonly status: string | null;
  readonly cents: number | null;
}

const row: fc.Arbitrary<Row> = fc.record({
  id: fc.string({ maxLength: 6, unit: 'grapheme' }),
  status: fc.option(fc.constantFrom('complete', 'returned', 'shipped'), { nil: null }),
  cents: fc.option(fc.integer({ min: -1e6, max: 1e6 }), { nil: null }),
});

const tableOf = (rows: readonly Row[]): arrow.Table =>
  new arrow.Table({
    id: arrow.vectorFromArray(
      rows.map((r) => r.id),
      new arrow.Utf8(),
    ),
    status: arrow.vectorFromArray(
      rows.map((r) => r.status),
      new arrow.Utf8(),
    ),
    cents: arrow.vectorFromArray(
      rows.map((r) => r.cents),
      new arrow.Int32(),
    ),
  });

const rowsOf = (bytes: Uint8Array): Row[] =>
  readParquetBytes(bytes)
    .toArray()
    .map((r: { id: string; status: string | null; cents: number | null }) => ({
      id: r.id,
      status: r.status,
      cents: r.cents,
    }));

describe('writeParquetChunked', () => {
  it('writes the rows of the table, in order, whatever the slice size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 70 }),
        async (rows, sliceRows) => {
          const bytes = await writeParquetChunked(tableOf(rows), ['id'], sliceRows);
          expect(rowsOf(bytes)).toEqual(rows);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is writeParquetBytes byte for byte for a table within one slice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (rows) => {
        const table = tableOf(rows);
        const chunked = await writeParquetChunked(table, ['id'], rows.length);
        expect(Buffer.from(chunked).equals(Buffer.from(writeParquetBytes(table, ['id'])))).toBe(
          true,
        );
      }),
      { numRuns: 30 },
    );
  });

  it('gives DuckDB the rows of the table, in one row group', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      id: `i${i}`,
      status: i % 7 === 0 ? null : 'complete',
      cents: i % 11 === 0 ? null : i * 3 - 7000,
    }));
    const file = join(scratch, 'sliced.parquet');
    writeFileSync(file, await writeParquetChunked(tableOf(rows), ['id'], 1024));
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const read = (await db.runAndReadAll(`SELECT id, status, cents FROM read_parquet('${file}')`))
      .getRowObjectsJson()
      .map((r) => ({ id: r['id'], status: r['status'], cents: r['cents'] }));
    expect(read).toEqual(rows);
    const groups = await db.runAndReadAll(
      `SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('${file}')`,
    );
    expect(Number(groups.getRowObjectsJson()[0]?.['n'])).toBe(1);
  });
});
