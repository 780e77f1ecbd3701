// Writing one data file: rows -> Arrow -> Parquet (snappy); the statistics its `add` action
// carries are computed in delta-stats.ts.
import * as arrow from 'apache-arrow';
import type { Row } from './delta-rows.js';
import { columnData } from './delta-arrow-columns.js';
import { type PartitionColumns, columnValues, columnsOfRows } from './delta-columns.js';
import { writeParquetBytes, writeParquetChunked } from './delta-parquet.js';
import type { DeltaField } from './delta-schema.js';
import type { EncodedFile } from './delta-commit.js';
import { type ColumnStat, statsObject, valueStat } from './delta-stats.js';

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
export const encodeColumns = (fields: readonly DeltaField[], data: PartitionColumns): Uint8Array =>
  writeParquetBytes(columnsTable(fields, data).table);

/**
 * The file and its add action's stats, each column read once: a big commit's columns are views
 * that copy a date's values out at each read (delta-columns.ts), and reading them once for the
 * Parquet data and again for the stats was ~0.4 s of a 10^6-fact commit.
 */
export async function encodeColumnsFile(
  fields: readonly DeltaField[],
  data: PartitionColumns,
  /** columns without a Parquet dictionary (DeltaTableDefinition.plainColumns) */
  plain: readonly string[] = [],
): Promise<EncodedFile> {
  const { table, stats } = columnsTable(fields, data);
  // in slices: a big date's whole table in wasm grew its memory for good (delta-parquet.ts)
  return { rows: data.length, bytes: await writeParquetChunked(table, plain), stats };
}

/** the columns' Arrow table and their add action's stats JSON */
function columnsTable(
  fields: readonly DeltaField[],
  data: PartitionColumns,
): { table: arrow.Table; stats: string } {
  const columns: Record<string, arrow.Vector> = {};
  const stats: ColumnStat[] = [];
  for (const f of fields) {
    const values = columnValues(data, f.name);
    columns[f.name] = arrow.makeVector(columnData(f, values));
    stats.push(valueStat(f, values));
  }
  return { table: new arrow.Table(columns), stats: statsObject(data.length, fields, stats) };
}
