// Rows of a snapshot: each live data file's Parquet rows, typed by the table schema, with the
// partition columns (kept only in `partitionValues`, not in the files) attached.
import * as arrow from 'apache-arrow';
import type { ObjectStore } from '../../ports/object-store.port.js';
import type { AddAction } from './delta-actions.js';
import { readParquetBytes } from './delta-parquet.js';
import { type DeltaField, parsePartitionValue, parseSchemaString } from './delta-schema.js';
import type { Snapshot } from './delta-snapshot.js';
import { decimalCell } from './delta-decimal.js';

/** column -> value; a decimal column's value is its unscaled integer (delta-decimal.ts) */
export type Row = Record<string, unknown>;

const TWO_64 = 2n ** 64n;
const DAY_MS = 86_400_000;

interface ColumnStats {
  readonly min?: unknown;
  readonly max?: unknown;
}

function statsOf(add: AddAction, column: string): ColumnStats {
  if (!add.stats) return {};
  const stats = JSON.parse(add.stats) as {
    minValues?: Record<string, unknown>;
    maxValues?: Record<string, unknown>;
  };
  const pick = (values?: Record<string, unknown>) =>
    values === undefined
      ? undefined
      : Object.entries(values).find(([k]) => k.toLowerCase() === column.toLowerCase())?.[1];
  return { min: pick(stats.minValues), max: pick(stats.maxValues) };
}

/** raw units per millisecond, by arrow.TimeUnit (SECOND is multiplied instead) */
const PER_MS: Record<arrow.TimeUnit, bigint> = [1n, 1n, 1000n, 1_000_000n];

/**
 * Timestamp cell -> epoch ms. Spark's INT96 timestamps come back as int64 nanoseconds, which
 * wrap around for years past 2262: when the file's stats bound the column, the wrap count that
 * lands the value inside [min, max] is chosen.
 */
function timestampMs(raw: bigint, unit: arrow.TimeUnit, stats: ColumnStats): number {
  if (unit === arrow.TimeUnit.SECOND) return Number(raw) * 1000;
  const div = PER_MS[unit];
  const min = typeof stats.min === 'string' ? Date.parse(stats.min) : NaN;
  const max = typeof stats.max === 'string' ? Date.parse(stats.max) : NaN;
  if (unit === arrow.TimeUnit.NANOSECOND && !Number.isNaN(min) && !Number.isNaN(max)) {
    const base = (BigInt(min) * 1_000_000n - raw) / TWO_64;
    for (const k of [base, base + 1n, base - 1n]) {
      const ms = Number((raw + k * TWO_64) / div);
      if (ms >= min - 1 && ms <= max + 1) return ms;
    }
  }
  return Number(raw / div);
}

function rawInt64(column: arrow.Vector, index: number): bigint {
  let offset = index;
  for (const chunk of column.data) {
    if (offset < chunk.length) {
      const values = chunk.values as BigInt64Array;
      return values[chunk.offset + offset] ?? 0n;
    }
    offset -= chunk.length;
  }
  throw new RangeError(`row ${index} out of range`);
}

function cellValue(
  column: arrow.Vector,
  i: number,
  deltaType: DeltaField['type'],
  stats: ColumnStats,
): unknown {
  if (!column.isValid(i)) return null;
  const type = column.type as arrow.DataType;
  if (type instanceof arrow.Timestamp) return timestampMs(rawInt64(column, i), type.unit, stats);
  if (type instanceof arrow.Decimal) return decimalCell(column, i);
  const value = column.get(i) as unknown;
  if (type instanceof arrow.Date_) {
    const ms = typeof value === 'number' ? value : Number(value);
    return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  }
  if (typeof value === 'bigint') return Number(value);
  if (deltaType === 'date' && typeof value === 'string') return value.slice(0, 10);
  return value;
}

// Delta column names are case-insensitive: a file written as `Sale_Price` holds `sale_price`.
const byLowerName = <T>(entries: readonly [string, T][]): Map<string, T> =>
  new Map(entries.map(([k, v]) => [k.toLowerCase(), v]));

export function rowsOfFile(
  bytes: Uint8Array,
  add: AddAction,
  fields: readonly DeltaField[],
  partitionColumns: readonly string[],
): Row[] {
  const table = readParquetBytes(bytes);
  const partitioned = new Set(partitionColumns.map((c) => c.toLowerCase()));
  const partitionValues = byLowerName(Object.entries(add.partitionValues));
  const columns = byLowerName(table.schema.fields.map((f, i) => [f.name, i] as [string, number]));
  const rows: Row[] = Array.from({ length: table.numRows }, () => ({}));
  for (const f of fields) {
    const name = f.name.toLowerCase();
    if (partitioned.has(name)) {
      const value = parsePartitionValue(f.type, partitionValues.get(name) ?? null);
      rows.forEach((row) => (row[f.name] = value));
      continue;
    }
    const index = columns.get(name);
    const column = index === undefined ? null : table.getChildAt(index);
    // the file's stats parsed once per column, not once per timestamp cell
    const stats = statsOf(add, f.name);
    rows.forEach((row, i) => (row[f.name] = column ? cellValue(column, i, f.type, stats) : null));
  }
  return rows;
}

/** Data file keys are relative to the table root; paths in the log are URL-encoded. */
export const dataFileKey = (root: string, path: string): string =>
  `${root}/${decodeURIComponent(path)}`;

export async function readRows(
  store: ObjectStore,
  root: string,
  snapshot: Snapshot,
): Promise<Row[]> {
  const { fields } = parseSchemaString(snapshot.metaData.schemaString);
  const rows: Row[] = [];
  for (const add of snapshot.files.values()) {
    const bytes = await store.get(dataFileKey(root, add.path));
    if (!bytes) throw new Error(`delta: data file missing: ${add.path}`);
    // one push per row: spreading a file's rows as arguments overflows the stack past ~10^5 rows
    for (const row of rowsOfFile(bytes, add, fields, snapshot.metaData.partitionColumns))
      rows.push(row);
  }
  return rows;
}
