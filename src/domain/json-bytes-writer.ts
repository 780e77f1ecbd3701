// JSON values written straight into UTF-8 bytes, for the big texts written as bytes in parts
// (the group manifest's arrays, the group id's source): JSON.stringify of 65,536 entries, then
// TextEncoder over that string, made each part twice (as a string, then as bytes) and ~0.3 s of
// the main thread per 1M-item manifest. Plain ASCII strings and safe integers (nearly every
// entry) are written byte by byte; anything else goes through JSON.stringify and TextEncoder, so
// the bytes are always exactly those of JSON.stringify's text.
import { BACKSLASH, CLOSE, COMMA, OPEN, QUOTE } from './json-bytes.js';

const UTF8 = new TextEncoder();
const MINUS = 0x2d;
const ZERO = 0x30;
const NULL_BYTES = UTF8.encode('null');
const INT_LIMIT = 2 ** 31;

/** A growable byte buffer: written into, then taken (a fresh buffer starts after each take). */
export class JsonBytesWriter {
  private buf: Uint8Array;
  private at = 0;

  constructor(private readonly capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
  }

  /** bytes written since the last take */
  get size(): number {
    return this.at;
  }

  /** what was written since the last take (a view of its own buffer: never written again) */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.at);
    this.buf = new Uint8Array(this.capacity);
    this.at = 0;
    return out;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  /** `text`'s UTF-8 as it is (no quotes, no escapes): TextEncoder's bytes of it */
  text(s: string): void {
    if (!this.ascii(s)) this.bytes(UTF8.encode(s));
  }

  /** JSON.stringify(s)'s UTF-8 */
  string(s: string): void {
    this.room(s.length + 2);
    const start = this.at;
    this.buf[this.at++] = QUOTE;
    if (this.ascii(s, true)) {
      this.buf[this.at++] = QUOTE;
      return;
    }
    this.at = start;
    this.bytes(UTF8.encode(JSON.stringify(s)));
  }

  /** JSON.stringify(x)'s UTF-8 (NaN and the infinities are null, as there) */
  number(x: number): void {
    if (!Number.isSafeInteger(x)) {
      this.bytes(UTF8.encode(JSON.stringify(x)));
      return;
    }
    this.room(17);
    let v = x;
    // -0 is written 0, as JSON.stringify does
    if (v < 0) {
      this.buf[this.at++] = MINUS;
      v = -v;
    }
    if (v < INT_LIMIT) {
      this.digits(v, 0);
      return;
    }
    // above 2^31: two parts below 10^9, each written with 32-bit integer steps (a division of a
    // double per digit was most of the writer's time on epoch milliseconds)
    let hi = Math.floor(v / 1e9);
    let lo = v - hi * 1e9; // exact: both below 2^53
    if (lo < 0) {
      hi--;
      lo += 1e9;
    } else if (lo >= 1e9) {
      hi++;
      lo -= 1e9;
    }
    this.digits(hi, 0);
    this.digits(lo, 9);
  }

  /** the decimal digits of 0 <= v < 2^31, at least `width` of them (zeros in front) */
  private digits(v: number, width: number): void {
    let n = 1;
    for (let p = 10; v >= p && n < 10; p *= 10) n++;
    if (n < width) n = width;
    const buf = this.buf;
    const end = this.at + n;
    let u = v | 0;
    for (let k = end - 1; k >= this.at; k--) {
      const q = (u / 10) | 0;
      buf[k] = ZERO + u - 10 * q;
      u = q;
    }
    this.at = end;
  }

  /** JSON.stringify's UTF-8 of `x` as an array entry (undefined and functions are null there) */
  value(x: unknown): void {
    if (typeof x === 'string') this.string(x);
    else if (typeof x === 'number') this.number(x);
    else if (x === null) this.bytes(NULL_BYTES);
    else this.bytes(UTF8.encode(JSON.stringify([x]).slice(1, -1)));
  }

  /**
   * s written byte by byte if it is all printable ASCII (with `json`, also without a quote or a
   * backslash, which JSON escapes); false, and `at` where it was, if it is not
   */
  private ascii(s: string, json = false): boolean {
    const n = s.length;
    this.room(n);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || (json && (c === QUOTE || c === BACKSLASH))) return false;
      buf[at++] = c;
    }
    this.at = at;
    return true;
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(2 * this.buf.length, this.at + n));
    bigger.set(this.buf.subarray(0, this.at));
    this.buf = bigger;
  }
}

/** part size: a part is taken once it holds this many bytes */
const PART_BYTES = 1 << 20;

/** JSON.stringify(a)'s UTF-8 in parts of ~1 MB (their concatenation is exactly it) */
export function* jsonArrayBytes(a: readonly unknown[]): Generator<Uint8Array> {
  const w = new JsonBytesWriter(PART_BYTES + 4096);
  w.byte(OPEN);
  for (let j = 0; j < a.length; j++) {
    if (j > 0) w.byte(COMMA);
    w.value(a[j]);
    if (w.size >= PART_BYTES) yield w.take();
  }
  w.byte(CLOSE);
  yield w.take();
}
