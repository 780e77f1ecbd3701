// One data file's Arrow columns, built straight into typed buffers (as the staging codec does)
// instead of apache-arrow's per-value builders: `vectorFromArray` allocated a BigInt per
// timestamp and builder chunks per column, which made a 143k-row partition cost ~1 s and
// ~300 MB of garbage. The values written are the ones the builders wrote (set.mjs): timestamps
// ms * 1000 as int64 microseconds, dates floor(epoch ms / day) as int32 days, strings UTF-8;
// decimals are Decimal128 words of the unscaled integers (delta-decimal.ts).
import * as arrow from 'apache-arrow';
import { bitmapOf, utf8Data } from '../parquet/arrow-columns.js';
import type { DeltaField } from './delta-schema.js';
import { decimal128Words, decimalType } from './delta-decimal.js';

const DAY_MS = 86_400_000;
const TWO_32 = 4_294_967_296;

const isNull = (v: unknown): boolean => v === null || v === undefined;

// int64 words as two uint32 halves (little endian); values outside the safe-integer range go
// through BigInt, which throws on a fraction exactly like the builders did.
function int64Words(values: readonly unknown[], scale: number): BigInt64Array {
  const n = values.length;
  const data = new BigInt64Array(n);
  const words = new Uint32Array(data.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isNull(v)) continue;
    const x = Number(v) * scale;
    if (!Number.isSafeInteger(x)) {
      data[i] = BigInt(x);
      continue;
    }
    const hi = Math.floor(x / TWO_32);
    words[2 * i] = x - hi * TWO_32;
    words[2 * i + 1] = hi;
  }
  return data;
}

function fill<T extends Float64Array | Int32Array>(
  data: T,
  values: readonly unknown[],
  toNumber: (v: unknown) => number,
): T {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isNull(v)) data[i] = toNumber(v);
  }
  return data;
}

const dayOf = (v: unknown): number => Math.floor(Date.parse(`${String(v)}T00:00:00Z`) / DAY_MS);

function boolBits(values: readonly unknown[]): Uint8Array {
  const bits = new Uint8Array((values.length + 7) >> 3);
  values.forEach((v, i) => {
    if (v) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
  });
  return bits;
}

const strings = (values: readonly unknown[]): (string | null)[] =>
  values.map((v) => (isNull(v) ? null : typeof v === 'string' ? v : String(v)));

/** The Arrow data of one column (one chunk), from its values in Row conventions. */
export function columnData(f: DeltaField, values: readonly unknown[]): arrow.Data {
  const n = values.length;
  const [nullBitmap, nullCount] = bitmapOf(n, (i) => !isNull(values[i]));
  const props = { length: n, nullCount, nullBitmap };
  const decimal = decimalType(f.type);
  if (decimal) {
    const type = new arrow.Decimal(decimal.scale, decimal.precision, 128);
    return arrow.makeData({ ...props, type, data: decimal128Words(values) });
  }
  switch (f.type) {
    case 'string':
      return utf8Data(strings(values));
    case 'long':
      return arrow.makeData({ ...props, type: new arrow.Int64(), data: int64Words(values, 1) });
    case 'timestamp': {
      const type = new arrow.TimestampMicrosecond('UTC');
      return arrow.makeData({ ...props, type, data: int64Words(values, 1000) });
    }
    case 'integer': {
      const data = fill(new Int32Array(n), values, Number);
      return arrow.makeData({ ...props, type: new arrow.Int32(), data });
    }
    case 'double': {
      const data = fill(new Float64Array(n), values, Number);
      return arrow.makeData({ ...props, type: new arrow.Float64(), data });
    }
    case 'date': {
      const data = fill(new Int32Array(n), values, dayOf);
      return arrow.makeData({ ...props, type: new arrow.DateDay(), data });
    }
    case 'boolean':
      return arrow.makeData({ ...props, type: new arrow.Bool(), data: boolBits(values) });
    default:
      throw new Error(`delta writer: unsupported column type ${JSON.stringify(f.type)}`);
  }
}
