// Base64 (RFC 4648's standard alphabet, `=` padding) written as UTF-8 bytes and read from JSON
// text, for the group manifest's compact columns (its row hashes as 8 bytes each: 10.7 characters
// of JSON where the 16 hex digits, quotes and comma were 19). Hand-written loops over lookup
// tables: the columns are written and read in parts (never one string or buffer of the whole),
// and a part's base64 must go on exactly where the last one stopped.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = 0x3d;

/** per UTF-16 code unit below 128: its 6-bit value, or -1 (the pad and anything else) */
const VALUES = new Int8Array(128).fill(-1);
for (const [v, c] of CODES.entries()) VALUES[c] = v;

/** how many base64 characters `n` bytes take, padding included */
export const base64Length = (n: number): number => 4 * Math.ceil(n / 3);

/**
 * writes the base64 of bytes[0, n) at out[at] and answers where it ends; n is a multiple of 3
 * for every part but the last (whose 1 or 2 bytes left over are padded)
 */
export const base64Into = (bytes: Uint8Array, n: number, out: Uint8Array, at: number): number => {
  const codes = CODES;
  let o = at;
  const whole = n - (n % 3);
  for (let i = 0; i < whole; i += 3) {
    const v =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o] = codes[v >>> 18] as number;
    out[o + 1] = codes[(v >>> 12) & 63] as number;
    out[o + 2] = codes[(v >>> 6) & 63] as number;
    out[o + 3] = codes[v & 63] as number;
    o += 4;
  }
  if (n % 3 === 1) {
    const v = bytes[whole] as number;
    out[o] = codes[v >>> 2] as number;
    out[o + 1] = codes[(v & 3) << 4] as number;
    out[o + 2] = PAD;
    out[o + 3] = PAD;
    o += 4;
  } else if (n % 3 === 2) {
    const v = ((bytes[whole] as number) << 8) | (bytes[whole + 1] as number);
    out[o] = codes[v >>> 10] as number;
    out[o + 1] = codes[(v >>> 4) & 63] as number;
    out[o + 2] = codes[(v & 15) << 2] as number;
    out[o + 3] = PAD;
    o += 4;
  }
  return o;
};

/**
 * Bytes decoded from base64 text fed in runs of any length (the streamed manifest's text comes a
 * piece at a time): the characters of an unfinished quad wait for the next run. Strict: only the
 * alphabet, padding only in the last quad, and the bits padding drops must be zero (so one byte
 * string has one text, as JSON.parse + a strict decoder would see it).
 */
export class Base64Decoder {
  private out: Uint8Array;
  private size = 0;
  private quad = 0;
  private inQuad = 0;
  private ended = false;

  /** expected: the bytes to make room for up front */
  constructor(expected = 0) {
    this.out = new Uint8Array(Math.max(16, expected));
  }

  /** decodes text[from, end); false when it is not base64 (the decoder is then spent) */
  push(text: string, from: number, end: number): boolean {
    if (this.ended && end > from) return false;
    this.room(Math.ceil(((end - from + this.inQuad) * 3) / 4) + 3);
    const out = this.out;
    const values = VALUES;
    let size = this.size;
    let quad = this.quad;
    let inQuad = this.inQuad;
    for (let i = from; i < end; i++) {
      const c = text.charCodeAt(i);
      const v = c < 128 ? (values[c] as number) : -1;
      if (v < 0) {
        this.size = size;
        this.quad = quad;
        this.inQuad = inQuad;
        return c === PAD ? this.padded(text, i, end) : false;
      }
      quad = (quad << 6) | v;
      if (++inQuad === 4) {
        out[size] = quad >>> 16;
        out[size + 1] = (quad >>> 8) & 255;
        out[size + 2] = quad & 255;
        size += 3;
        quad = 0;
        inQuad = 0;
      }
    }
    this.size = size;
    this.quad = quad;
    this.inQuad = inQuad;
    return true;
  }

  /**
   * hands the bytes decoded so far, in whole units of `unit` bytes, to `f` (a view, read before
   * it returns) and keeps only the rest: a long string is decoded without holding its bytes
   */
  drain(unit: number, f: (bytes: Uint8Array) => void): void {
    const whole = this.size - (this.size % unit);
    if (whole === 0) return;
    f(this.out.subarray(0, whole));
    this.out.copyWithin(0, whole, this.size);
    this.size -= whole;
  }

  /** the bytes decoded; null when the text ended inside a quad */
  finish(): Uint8Array | null {
    if (this.inQuad !== 0) return null;
    return this.out.subarray(0, this.size);
  }

  /** the padding from text[i] (a `=`): the last quad, ending the text */
  private padded(text: string, i: number, end: number): boolean {
    // `xx==` (one byte) or `xxx=` (two); the dropped bits are zero
    const pads = 4 - this.inQuad;
    if (this.inQuad < 2 || end - i !== pads) return false;
    for (let k = i; k < end; k++) if (text.charCodeAt(k) !== PAD) return false;
    const q = this.quad;
    if (this.inQuad === 2) {
      if ((q & 15) !== 0) return false;
      this.out[this.size++] = q >>> 4;
    } else {
      if ((q & 3) !== 0) return false;
      this.out[this.size++] = q >>> 10;
      this.out[this.size++] = (q >>> 2) & 255;
    }
    this.quad = 0;
    this.inQuad = 0;
    this.ended = true;
    return true;
  }

  private room(n: number): void {
    if (this.size + n <= this.out.length) return;
    const bigger = new Uint8Array(Math.max(2 * this.out.length, this.size + n));
    bigger.set(this.out.subarray(0, this.size));
    this.out = bigger;
  }
}

/** the bytes of a whole base64 text, or null when it is not strict base64 */
export const base64Bytes = (text: string): Uint8Array | null => {
  const d = new Base64Decoder(Math.ceil((text.length * 3) / 4));
  return d.push(text, 0, text.length) ? d.finish() : null;
};
