// Writing one data file: rows -> Arrow -> Parquet (snappy), plus the per-file statistics that
// the `add` action carries (PROTOCOL.md "Per-file Statistics").
import * as arrow from 'apache-arrow';
import type { Row } from './delta-rows.js';
import { writeParquetBytes } from './delta-parquet.js';
import type { DeltaField } from './delta-schema.js';

/**
 * Delta type -> Parquet-bound Arrow type. Timestamps are microseconds adjusted to UTC, which
 * Spark reads as TIMESTAMP; money is double (see delta-analytics-tables.ts).
 */
function arrowType(type: DeltaField['type']): arrow.DataType {
  switch (type) {
    case 'string':
      return new arrow.Utf8();
    case 'long':
      return new arrow.Int64();
    case 'integer':
      return new arrow.Int32();
    case 'double':
      return new arrow.Float64();
    case 'boolean':
      return new arrow.Bool();
    case 'date':
      return new arrow.DateDay();
    case 'timestamp':
      return new arrow.TimestampMicrosecond('UTC');
    default:
      throw new Error(`delta writer: unsupported column type ${JSON.stringify(type)}`);
  }
}

function arrowValue(type: DeltaField['type'], value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'long') return BigInt(value as number);
  if (type === 'date') return new Date(`${String(value)}T00:00:00Z`);
  return value;
}

export function encodeDataFile(fields: readonly DeltaField[], rows: readonly Row[]): Uint8Array {
  const columns = Object.fromEntries(
    fields.map((f) => [
      f.name,
      arrow.vectorFromArray(
        rows.map((r) => arrowValue(f.type, r[f.name])),
        arrowType(f.type),
      ),
    ]),
  );
  return writeParquetBytes(new arrow.Table(columns));
}

const statValue = (type: DeltaField['type'], value: unknown): unknown =>
  type === 'timestamp' ? new Date(value as number).toISOString() : value;

/** Stats JSON of the rows: min/max of the non-null values of each column, and null counts. */
export function statsJson(fields: readonly DeltaField[], rows: readonly Row[]): string {
  const minValues: Record<string, unknown> = {};
  const maxValues: Record<string, unknown> = {};
  const nullCount: Record<string, number> = {};
  for (const f of fields) {
    let nulls = 0;
    let min: string | number | undefined;
    let max: string | number | undefined;
    for (const row of rows) {
      const v = row[f.name];
      if (v === null || v === undefined) {
        nulls += 1;
        continue;
      }
      const cmp = v as string | number;
      if (min === undefined || cmp < min) min = cmp;
      if (max === undefined || cmp > max) max = cmp;
    }
    nullCount[f.name] = nulls;
    if (min !== undefined) minValues[f.name] = statValue(f.type, min);
    if (max !== undefined) maxValues[f.name] = statValue(f.type, max);
  }
  return JSON.stringify({ numRecords: rows.length, minValues, maxValues, nullCount });
}
