// encodeDataFile builds Arrow columns by hand from typed buffers; apache-arrow's own builders
// (vectorFromArray, what the writer used before) are the oracle: the Parquet bytes must be
// identical, so files written before and after the change cannot differ.
import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeDataFile } from '../../../src/adapters/delta/delta-data-file.js';
import { writeParquetBytes } from '../../../src/adapters/delta/delta-parquet.js';
import type { Row } from '../../../src/adapters/delta/delta-rows.js';
import { rowsOfFile } from '../../../src/adapters/delta/delta-rows.js';
import { type DeltaField, field } from '../../../src/adapters/delta/delta-schema.js';

const FIELDS: readonly DeltaField[] = [
  field('s', 'string'),
  field('req', 'string', false),
  field('l', 'long'),
  field('i', 'integer'),
  field('d', 'double'),
  field('b', 'boolean'),
  field('day', 'date'),
  field('t', 'timestamp'),
];

const BUILDER_TYPES: Record<string, () => arrow.DataType> = {
  string: () => new arrow.Utf8(),
  long: () => new arrow.Int64(),
  integer: () => new arrow.Int32(),
  double: () => new arrow.Float64(),
  boolean: () => new arrow.Bool(),
  date: () => new arrow.DateDay(),
  timestamp: () => new arrow.TimestampMicrosecond('UTC'),
};

function builderValue(type: DeltaField['type'], v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'long') return BigInt(v as number);
  if (type === 'date') return new Date(`${String(v)}T00:00:00Z`);
  return v;
}

/** the same file through apache-arrow's per-value builders */
function viaBuilders(fields: readonly DeltaField[], rows: readonly Row[]): Uint8Array {
  const columns: Record<string, arrow.Vector> = {};
  for (const f of fields) {
    const type = (BUILDER_TYPES[String(f.type)] as () => arrow.DataType)();
    columns[f.name] = arrow.vectorFromArray(
      rows.map((r) => builderValue(f.type, r[f.name])),
      type,
    );
  }
  return writeParquetBytes(new arrow.Table(columns));
}

const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const day = fc
  .date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const row: fc.Arbitrary<Row> = fc.record({
  s: nullable(fc.string({ unit: 'grapheme' })),
  req: fc.string(),
  l: nullable(fc.maxSafeInteger()),
  i: nullable(fc.integer()),
  d: nullable(fc.double()),
  b: nullable(fc.boolean()),
  day: nullable(day),
  t: nullable(fc.integer({ min: -2e12, max: 5e12 })),
});

const ADD = { path: 'x', partitionValues: {}, size: 0, modificationTime: 0, dataChange: true };
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('encodeDataFile', () => {
  it('writes the bytes apache-arrow builders write, for every column type', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        expect(same(encodeDataFile(FIELDS, rows), viaBuilders(FIELDS, rows))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps an all-true boolean column and an all-null column', () => {
    const rows = [
      { b: true, s: null },
      { b: true, s: null },
    ];
    const fields = [field('b', 'boolean'), field('s', 'string')];
    expect(same(encodeDataFile(fields, rows), viaBuilders(fields, rows))).toBe(true);
  });

  it('reads back the values it wrote', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 20 }), (rows) => {
        const back = rowsOfFile(encodeDataFile(FIELDS, rows), ADD, FIELDS, []);
        expect(back.map((r) => [r.s, r.req, r.l, r.i, r.b, r.day, r.t])).toEqual(
          rows.map((r) => [r.s, r.req, r.l, r.i, r.b, r.day, r.t]),
        );
      }),
      { numRuns: 50 },
    );
  });
});
