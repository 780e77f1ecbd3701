// Writing one data file: rows -> Arrow -> Parquet (snappy), plus the per-file statistics that
// the `add` action carries (PROTOCOL.md "Per-file Statistics").
import * as arrow from 'apache-arrow';
import type { Row } from './delta-rows.js';
import { columnData } from './delta-arrow-columns.js';
import { writeParquetBytes } from './delta-parquet.js';
import type { DeltaField } from './delta-schema.js';

/**
 * Rows -> Parquet bytes. Delta types map to Parquet-bound Arrow types (delta-arrow-columns.ts):
 * timestamps are microseconds adjusted to UTC, which Spark reads as TIMESTAMP; money is double
 * (see delta-analytics-tables.ts). Each column is built and handed to the table, so only this
 * partition's Arrow data is alive while the file is encoded.
 */
export function encodeDataFile(fields: readonly DeltaField[], rows: readonly Row[]): Uint8Array {
  const columns: Record<string, arrow.Vector> = {};
  for (const f of fields) columns[f.name] = arrow.makeVector(columnData(f, rows));
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
