// Writing one data file: rows -> Arrow -> Parquet (snappy); the statistics its `add` action
// carries are computed in delta-stats.ts.
import * as arrow from 'apache-arrow';
import type { Row } from './delta-rows.js';
import { columnData } from './delta-arrow-columns.js';
import { type PartitionColumns, columnValues, columnsOfRows } from './delta-columns.js';
import { writeParquetBytes } from './delta-parquet.js';
import type { DeltaField } from './delta-schema.js';

/**
 * Rows -> Parquet bytes. Delta types map to Parquet-bound Arrow types (delta-arrow-columns.ts):
 * timestamps are microseconds adjusted to UTC, which Spark reads as TIMESTAMP; money is
 * decimal(18,2) from integer cents (delta-decimal.ts). Each column is built and handed to the table, so only this
 * partition's Arrow data is alive while the file is encoded.
 */
export function encodeDataFile(fields: readonly DeltaField[], rows: readonly Row[]): Uint8Array {
  return encodeColumns(
    fields,
    columnsOfRows(
      fields.map((f) => f.name),
      rows,
    ),
  );
}

/** The same from columns (delta-columns.ts): no object per row on the way. */
export function encodeColumns(
  fields: readonly DeltaField[],
  data: PartitionColumns,
  /** columns without a Parquet dictionary (DeltaTableDefinition.plainColumns) */
  plain: readonly string[] = [],
): Uint8Array {
  const columns: Record<string, arrow.Vector> = {};
  for (const f of fields)
    columns[f.name] = arrow.makeVector(columnData(f, columnValues(data, f.name)));
  return writeParquetBytes(new arrow.Table(columns), plain);
}
