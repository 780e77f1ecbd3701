// Delta `decimal(p,s)` columns. In a Row a decimal is its unscaled integer (cents for money
// columns of scale 2), so no value ever passes through a binary fraction: Parquet holds the same
// integer (Arrow Decimal128, which parquet-wasm writes as INT64 + DECIMAL for p <= 18), and the
// log's stats and partition values hold its exact decimal text.
import * as arrow from 'apache-arrow';

const DECIMAL = /^decimal\((\d+),\s*(\d+)\)$/;

/** precision and scale of a `decimal(p,s)` type name, else null */
export function decimalType(type: unknown): { precision: number; scale: number } | null {
  const m = typeof type === 'string' ? DECIMAL.exec(type) : null;
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : null;
}

/** unscaled integer -> exact decimal text ("-0.05" for -5 at scale 2) */
export function decimalText(unscaled: number | bigint, scale: number): string {
  const v = BigInt(unscaled);
  const digits = (v < 0n ? -v : v).toString().padStart(scale + 1, '0');
  const sign = v < 0n ? '-' : '';
  if (scale === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** exact decimal text (or a JSON number's text) -> unscaled integer; refuses lost digits */
export function unscaledOf(text: string, scale: number): number {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`delta: not a decimal: ${text}`);
  const exponent = Number(m[4] ?? 0);
  let digits = `${m[2]}${m[3] ?? ''}`;
  let shift = scale - (m[3] ?? '').length + exponent;
  while (shift < 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    shift += 1;
  }
  if (shift < 0) throw new Error(`delta: ${text} has more than ${scale} decimals`);
  const v = BigInt(digits + '0'.repeat(shift)) * (m[1] === '-' ? -1n : 1n);
  return safe(v, text);
}

function safe(v: bigint, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`delta: decimal ${what} is beyond 2^53 units`);
  }
  return Number(v);
}

/** Arrow Decimal128 data of unscaled integers (null/undefined = null; validity given by caller) */
export function decimal128Words(values: readonly unknown[]): Uint32Array {
  const words = new Uint32Array(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      throw new TypeError(`delta writer: decimal cell must be an integer of units, got ${v}`);
    }
    decimal128Into(words, i, v);
  }
  return words;
}

const TWO_32 = 4_294_967_296;

/**
 * A safe integer as the four little-endian 32-bit words of its 128-bit two's complement, at
 * value `i` of `words`: the low 64 bits as two halves (a negative high half wraps to its
 * unsigned word on assignment), the high 64 bits the sign. Exact for |v| < 2^53, and no BigInt
 * per value (BigInt(v) a cell was ~1/10 of the Delta worker's numeric columns at 10^6 facts).
 */
export function decimal128Into(words: Uint32Array, i: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  const sign = v < 0 ? 0xffffffff : 0;
  words[4 * i] = v - hi * TWO_32;
  words[4 * i + 1] = hi;
  words[4 * i + 2] = sign;
  words[4 * i + 3] = sign;
}

/** unscaled integer of row i of a Decimal column (any chunking, 128-bit words) */
export function decimalCell(column: arrow.Vector, index: number): number {
  let offset = index;
  for (const chunk of column.data) {
    if (offset < chunk.length) {
      const words = chunk.values as Uint32Array;
      const at = (chunk.offset + offset) * 4;
      let v = 0n;
      for (let w = 3; w >= 0; w -= 1) v = (v << 32n) | BigInt(words[at + w] ?? 0);
      return safe(BigInt.asIntN(128, v), `in row ${index}`);
    }
    offset -= chunk.length;
  }
  throw new RangeError(`row ${index} out of range`);
}
