// Per-file statistics of an `add` action (PROTOCOL.md "Per-file Statistics"): numRecords, and per
// column min/max of the non-null values and the null count. Strings are ordered by their UTF-8
// bytes, as Spark and Parquet order them (JS `<` compares UTF-16 units, which puts U+E000..U+FFFF
// after the astral characters that UTF-8 sorts last); decimals are written as exact decimal text.
// Values are never truncated, so min/max are exact bounds.
import type { Row } from './delta-rows.js';
import { type PartitionColumns, columnValues, columnsOfRows } from './delta-columns.js';
import type { DeltaField } from './delta-schema.js';
import { decimalText, decimalType } from './delta-decimal.js';

/** UTF-8 byte order of two strings, which is Unicode code point order */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // a surrogate (0xD800-0xDFFF) starts a code point above every BMP unit that is not one
    const hx = x >= 0xd800 && x <= 0xdfff;
    const hy = y >= 0xd800 && y <= 0xdfff;
    if (hx !== hy) return hx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const compare = (a: unknown, b: unknown): number =>
  typeof a === 'string' && typeof b === 'string'
    ? compareUtf8(a, b)
    : (a as number) < (b as number)
      ? -1
      : (a as number) > (b as number)
        ? 1
        : 0;

/** a stat value's JSON text: timestamps ISO-8601 UTC, decimals exact */
function statJson(type: DeltaField['type'], value: unknown): string {
  const decimal = decimalType(type);
  if (decimal) return decimalText(value as number, decimal.scale);
  if (type === 'timestamp') return JSON.stringify(new Date(value as number).toISOString());
  return JSON.stringify(value);
}

const object = (entries: readonly [string, string][]): string =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

/** Stats JSON of the rows: min/max of the non-null values of each column, and null counts. */
export function statsJson(fields: readonly DeltaField[], rows: readonly Row[]): string {
  return columnStatsJson(
    fields,
    columnsOfRows(
      fields.map((f) => f.name),
      rows,
    ),
  );
}

/** The same from columns (delta-columns.ts). */
export function columnStatsJson(fields: readonly DeltaField[], data: PartitionColumns): string {
  return statsObject(
    data.length,
    fields,
    fields.map((f) => valueStat(f, columnValues(data, f.name))),
  );
}

/** one column's part of the stats: its null count and the JSON texts of its min and max */
export interface ColumnStat {
  readonly nullCount: number;
  readonly min?: string;
  readonly max?: string;
}

/** the stat of a column's values (in Row conventions) */
export function valueStat(f: DeltaField, values: readonly unknown[]): ColumnStat {
  let nullCount = 0;
  let min: unknown;
  let max: unknown;
  let previous: unknown;
  for (const v of values) {
    if (v === null || v === undefined) {
      nullCount += 1;
      continue;
    }
    // an order's items repeat its ids, status and time: the value just compared moves nothing
    if (v === previous) continue;
    previous = v;
    if (min === undefined || compare(v, min) < 0) min = v;
    if (max === undefined || compare(v, max) > 0) max = v;
  }
  return {
    nullCount,
    ...(min === undefined ? {} : { min: statJson(f.type, min) }),
    ...(max === undefined ? {} : { max: statJson(f.type, max) }),
  };
}

/** the stats JSON of a file of `length` rows from its columns' stats (in `fields` order) */
export function statsObject(
  length: number,
  fields: readonly DeltaField[],
  stats: readonly ColumnStat[],
): string {
  const mins: [string, string][] = [];
  const maxs: [string, string][] = [];
  const nulls: [string, string][] = [];
  fields.forEach((f, i) => {
    const { nullCount, min, max } = stats[i] as ColumnStat;
    nulls.push([f.name, String(nullCount)]);
    if (min !== undefined) mins.push([f.name, min]);
    if (max !== undefined) maxs.push([f.name, max]);
  });
  return object([
    ['numRecords', String(length)],
    ['minValues', object(mins)],
    ['maxValues', object(maxs)],
    ['nullCount', object(nulls)],
  ]);
}
