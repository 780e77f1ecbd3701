// A group's orders and new facts as transferable buffers (the Delta commit worker's input), and
// the FactBatch the worker merges them from. A date of new facts only is encoded straight from
// the bytes: the Arrow data and the stats are those the inline writer makes from the strings
// (delta-arrow-columns.ts, delta-stats.ts), so the Parquet bytes and the add actions are equal.
import * as arrow from 'apache-arrow';
import type { FactColumns } from '../../domain/kpi/fact-columns.js';
import { columnData } from './delta-arrow-columns.js';
import { decimal128Into, decimalType } from './delta-decimal.js';
import type { EncodedFile } from './delta-commit.js';
import type { FactBatch } from './delta-fact-batch.js';
import { writeParquetChunked } from './delta-parquet.js';
import type { DeltaField } from './delta-schema.js';
import { type ColumnStat, statsObject, valueStat } from './delta-stats.js';
import {
  type Utf8Column,
  type Utf8Layout,
  decodeUtf8Column,
  entryText,
  utf8Buffers,
  utf8Column,
  utf8Rows,
} from './delta-utf8-column.js';

/** the string columns of order_facts, by column name (their FactColumns field) */
const STRINGS = {
  item_id: 'itemId',
  order_id: 'orderId',
  user_id: 'userId',
  order_status: 'orderStatus',
  product_id: 'productId',
  category: 'category',
} as const;
type StringField = (typeof STRINGS)[keyof typeof STRINGS];
/** how each column's rows map to entries (delta-utf8-column.ts) */
const LAYOUT: Readonly<Record<StringField, Utf8Layout>> = {
  itemId: 'rows',
  orderId: 'runs',
  userId: 'runs',
  orderStatus: 'distinct',
  productId: 'distinct',
  category: 'distinct',
};

export interface FactBytes {
  readonly length: number;
  readonly orderIds: Utf8Column;
  readonly strings: Readonly<Record<StringField, Utf8Column>>;
  /** a copy: the caller's columns stay with the caller */
  readonly orderCreatedAt: Float64Array;
  /** integer cents: 32 bits when every amount fits, else 64-bit floats with NaN for null */
  readonly salePriceCents: Int32Array | Float64Array;
}

const INT32 = 2 ** 31;

function centsOf(values: readonly unknown[], length: number): Int32Array | Float64Array {
  let narrow = true;
  for (let i = 0; i < length && narrow; i++) {
    const v = values[i];
    narrow = Number.isSafeInteger(v) && (v as number) >= -INT32 && (v as number) < INT32;
  }
  const cents = narrow ? new Int32Array(length) : new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v === null || v === undefined) cents[i] = NaN;
    // the inline writer's refusal (decimal128Words), raised before anything crosses over
    else if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      throw new TypeError(`delta writer: decimal cell must be an integer of units, got ${v}`);
    } else cents[i] = v;
  }
  return cents;
}

export function factBytesOf(orderIds: readonly string[], facts: FactColumns): FactBytes {
  const strings = {} as Record<StringField, Utf8Column>;
  for (const name of Object.values(STRINGS)) {
    strings[name] = utf8Column(facts[name], LAYOUT[name]);
  }
  return {
    length: facts.length,
    orderIds: utf8Column(orderIds, 'rows'),
    strings,
    orderCreatedAt: facts.orderCreatedAt.slice(0, facts.length),
    salePriceCents: centsOf(facts.salePriceCents, facts.length),
  };
}

/** every buffer of the bytes, for postMessage's transfer list */
export const factBytesBuffers = (b: FactBytes): ArrayBuffer[] => [
  ...utf8Buffers(b.orderIds),
  ...Object.values(b.strings).flatMap(utf8Buffers),
  b.orderCreatedAt.buffer as ArrayBuffer,
  b.salePriceCents.buffer as ArrayBuffer,
];

/** one column of a date's file: its Arrow data and its stat */
function columnOf(
  b: FactBytes,
  f: DeltaField,
  rows: readonly number[],
): { data: arrow.Data; stat: ColumnStat } {
  const name = STRINGS[f.name as keyof typeof STRINGS] as StringField | undefined;
  if (name !== undefined) {
    const column = b.strings[name];
    const { data, min, max } = utf8Rows(column, rows);
    const text = (e: number) => JSON.stringify(entryText(column, e));
    const bounds = min < 0 ? {} : { min: text(min), max: text(max) };
    return { data, stat: { nullCount: data.nullCount, ...bounds } };
  }
  if (f.name === 'order_created_at') {
    return (
      timestampColumn(f, b.orderCreatedAt, rows) ?? valueColumn(f, b.orderCreatedAt, rows, false)
    );
  }
  if (f.name === 'sale_price') return centsColumn(f, b.salePriceCents, rows);
  throw new Error(`delta writer: order_facts has no column ${f.name}`);
}

/** the generic way (columnData, valueStat) from the rows' values (NaN as null where nanIsNull) */
function valueColumn(
  f: DeltaField,
  source: Float64Array | Int32Array,
  rows: readonly number[],
  nanIsNull: boolean,
): { data: arrow.Data; stat: ColumnStat } {
  const values = rows.map((r) => {
    const v = source[r] as number;
    return nanIsNull && Number.isNaN(v) ? null : v;
  });
  return { data: columnData(f, values), stat: valueStat(f, values) };
}

const TWO_32 = 4_294_967_296;

/** the stat of values without nulls whose least and greatest are min and max (none: n = 0) */
const boundsStat = (f: DeltaField, n: number, min: number, max: number): ColumnStat =>
  valueStat(f, n === 0 ? [] : [min, max]);

/**
 * order_created_at (a timestamp: int64 microseconds) straight from the times into its words, and
 * its min/max in the same pass: no array of the rows' values, no closure a row for the validity
 * (the inline writer's int64Words and valueStat give the same data and stat). null where a time
 * is not a whole number of ms (NaN among them): the generic way then refuses it as the inline
 * writer does.
 */
function timestampColumn(
  f: DeltaField,
  times: Float64Array,
  rows: readonly number[],
): { data: arrow.Data; stat: ColumnStat } | null {
  const n = rows.length;
  const data = new BigInt64Array(n);
  const words = new Uint32Array(data.buffer);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const ms = times[rows[i] as number] as number;
    const x = ms * 1000;
    if (!Number.isSafeInteger(x)) return null;
    if (ms < min) min = ms;
    if (ms > max) max = ms;
    const hi = Math.floor(x / TWO_32);
    words[2 * i] = x - hi * TWO_32;
    words[2 * i + 1] = hi;
  }
  const type = new arrow.TimestampMicrosecond('UTC');
  return {
    data: arrow.makeData({ type, length: n, nullCount: 0, data }),
    stat: boundsStat(f, n, min, max),
  };
}

/**
 * sale_price (decimal(18,2) of integer cents, NaN for null: centsOf) straight into its Decimal128
 * words, with its min/max and nulls in the same pass; the validity bitmap only when a row is null
 * (as columnData's bitmapOf gives it).
 */
function centsColumn(
  f: DeltaField,
  cents: Int32Array | Float64Array,
  rows: readonly number[],
): { data: arrow.Data; stat: ColumnStat } {
  const decimal = decimalType(f.type);
  if (decimal === null) return valueColumn(f, cents, rows, true);
  const n = rows.length;
  const words = new Uint32Array(n * 4);
  let nullCount = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = cents[rows[i] as number] as number;
    if (v !== v) {
      nullCount += 1;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    decimal128Into(words, i, v);
  }
  let nullBitmap: Uint8Array | undefined;
  if (nullCount > 0) {
    nullBitmap = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) {
      const v = cents[rows[i] as number] as number;
      if (v === v) nullBitmap[i >> 3] = (nullBitmap[i >> 3] as number) | (1 << (i & 7));
    }
  }
  const type = new arrow.Decimal(decimal.scale, decimal.precision, 128);
  const stat = boundsStat(f, n - nullCount, min, max);
  return {
    data: arrow.makeData({ type, length: n, nullCount, nullBitmap, data: words }),
    stat: { ...stat, nullCount },
  };
}

/** the Arrow table and the stats JSON of the rows `rows`, column by column */
export function factRowsTable(
  b: FactBytes,
  fields: readonly DeltaField[],
  rows: readonly number[],
): { table: arrow.Table; stats: string } {
  const columns: Record<string, arrow.Vector> = {};
  const stats: ColumnStat[] = [];
  for (const f of fields) {
    const { data, stat } = columnOf(b, f, rows);
    columns[f.name] = arrow.makeVector(data);
    stats.push(stat);
  }
  return { table: new arrow.Table(columns), stats: statsObject(rows.length, fields, stats) };
}

/** the Parquet file and stats of the rows `rows`, column by column */
export async function encodeFactRows(
  b: FactBytes,
  fields: readonly DeltaField[],
  rows: readonly number[],
  /** columns without a Parquet dictionary (DeltaTableDefinition.plainColumns) */
  plain: readonly string[] = [],
): Promise<EncodedFile> {
  const { table, stats } = factRowsTable(b, fields, rows);
  // the inline writer's way (encodeColumnsFile), so the files are equal
  return { rows: rows.length, bytes: await writeParquetChunked(table, plain), stats };
}

/** afterFile: told when a date's file is encoded (its Arrow data and Parquet buffers dropped) */
export function factBytesBatch(b: FactBytes, afterFile: () => void = () => undefined): FactBatch {
  let sources: readonly ArrayLike<unknown>[] | undefined;
  let orderIds: readonly string[] | undefined;
  const decode = (name: StringField) => decodeUtf8Column(b.strings[name], b.length);
  return {
    length: b.length,
    orderCreatedAt: b.orderCreatedAt,
    orderIds: () =>
      (orderIds ??= decodeUtf8Column(b.orderIds, b.orderIds.offsets.length - 1) as string[]),
    // only when the table has live files: the ids to look up, rows appended to kept rows
    sources: () =>
      (sources ??= [
        decode('itemId'),
        decode('orderId'),
        decode('userId'),
        decode('orderStatus'),
        b.orderCreatedAt,
        decode('productId'),
        decode('category'),
        Array.from(b.salePriceCents, (c) => (Number.isNaN(c) ? null : c)),
      ]),
    newDate: (rows) => ({
      encode: async (fields, plain) => {
        const file = await encodeFactRows(b, fields, rows, plain);
        afterFile();
        return file;
      },
    }),
  };
}
