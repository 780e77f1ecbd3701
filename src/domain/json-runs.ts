// Pieces of the streamed manifest decode (group-manifest-stream.codec.ts) that read runs of JSON
// array elements out of a text: integers in place, file indexes into a Uint32Array, hex digits
// by table. Each either reads exactly what JSON.parse would or says it cannot (NotStreamed, or
// false), and the decode then falls back to the whole text.

import { BACKSLASH, COMMA } from './json-bytes.js';

/** the text is not the streamed form: the caller decodes it whole */
export class NotStreamed extends Error {}

/** a location column's file indexes, appended run by run into a Uint32Array made to size */
export class IndexColumn {
  /** the last run parsed, as numbers */
  readonly scratch: number[] = [];
  values = new Uint32Array(0);
  private count = 0;

  reserve(n: number): void {
    this.values = new Uint32Array(Math.max(16, n));
  }

  /** the scratch run moved in; an index that is not a 32-bit word leaves it to the whole decode */
  append(): void {
    const run = this.scratch;
    if (this.count + run.length > this.values.length) {
      const bigger = new Uint32Array(2 * (this.count + run.length));
      bigger.set(this.values.subarray(0, this.count));
      this.values = bigger;
    }
    for (const f of run) {
      if (!Number.isInteger(f) || f < 0 || f > 0xffffffff) throw new NotStreamed();
      this.values[this.count++] = f;
    }
    run.length = 0;
  }

  build(): Uint32Array {
    return this.values.length === this.count ? this.values : this.values.slice(0, this.count);
  }
}

/** whether the quote at `q` is escaped (an odd run of backslashes before it, after `from`) */
export const escaped = (text: string, q: number, from: number): boolean => {
  let k = q - 1;
  while (k > from && text.charCodeAt(k) === BACKSLASH) k--;
  return (q - 1 - k) % 2 === 1;
};

/** per UTF-16 code unit: its value as a lowercase hex digit, or -1 */
export const HEX_VALUES = new Int8Array(65_536).fill(-1);
for (const [v, c] of [...'0123456789abcdef'].entries()) HEX_VALUES[c.charCodeAt(0)] = v;

const ZERO = 0x30;
const MINUS = 0x2d;

/**
 * Appends the integers of text[from, end) (`12,0,-7`: what the offsets, file indexes and most
 * dates are) to `into`; false, having appended nothing, when an element is anything else or
 * spelled otherwise than JSON.stringify spells it (`01`, `-0`, `1e3`, 16 digits or more), which
 * the caller reads with JSON.parse. Parsing each run with JSON.parse and copying it over cost
 * ~80 ns an element.
 */
export const integersInto = (into: number[], text: string, from: number, end: number): boolean => {
  const start = into.length;
  // every element is followed by a comma and another element, or by the run's end (`1,` is
  // not a run, and neither is an empty one)
  for (let i = from; ; i++) {
    const negative = text.charCodeAt(i) === MINUS;
    if (negative) i++;
    const first = i;
    let v = 0;
    for (let c = text.charCodeAt(i); c >= ZERO && c <= ZERO + 9; c = text.charCodeAt(++i))
      v = v * 10 + (c - ZERO);
    const digits = i - first;
    const canonical =
      i <= end &&
      digits > 0 &&
      digits < 16 &&
      (digits === 1 || text.charCodeAt(first) !== ZERO) &&
      !(negative && v === 0) &&
      (i === end || text.charCodeAt(i) === COMMA);
    if (!canonical) {
      into.length = start;
      return false;
    }
    into.push(negative ? -v : v);
    if (i === end) return true;
  }
};
