// A digest of an object's bytes read as a stream, so the manifest reader can tell whether a
// manifest it decoded before still holds the same bytes without keeping them.
import { MUL1, MUL2, SEED1, SEED2, hexDigest } from '../domain/fingerprint.js';

/**
 * A digest of bytes fed in chunks of any size: Hash64's lanes (fingerprint.ts) over little-endian
 * 32-bit words, a tail of 1-3 bytes one by one. A rewritten manifest is decoded again, never
 * mistaken for the old. The lanes are kept here, in locals while a chunk is fed: a call of
 * Hash64.code and a DataView read per word took ~0.2 s for a 1M-item manifest.
 */
export class BytesDigest {
  private h1 = SEED1;
  private h2 = SEED2;
  private readonly carry = new Uint8Array(4);
  private carried = 0;
  private length = 0;
  private scratch = new Uint8Array(0);

  add(bytes: Uint8Array): this {
    this.length += bytes.byteLength;
    let at = 0;
    while (this.carried > 0 && this.carried < 4 && at < bytes.byteLength)
      this.carry[this.carried++] = bytes[at++] as number;
    if (this.carried === 4) {
      this.code(new DataView(this.carry.buffer).getUint32(0, true));
      this.carried = 0;
    }
    const words = (bytes.byteLength - at) >>> 2;
    let h1 = this.h1;
    let h2 = this.h2;
    const view = this.wordsOf(bytes, at, words);
    for (let w = 0; w < words; w++) {
      const c = view[w] as number;
      h1 = Math.imul(h1 ^ c, MUL1);
      h2 = Math.imul(h2 ^ c, MUL2);
    }
    this.h1 = h1;
    this.h2 = h2;
    at += 4 * words;
    while (at < bytes.byteLength) this.carry[this.carried++] = bytes[at++] as number;
    return this;
  }

  digest(): string {
    for (let i = 0; i < this.carried; i++) this.code(this.carry[i] as number);
    return `${this.length}:${hexDigest(this.h1, this.h2)}`;
  }

  /** the little-endian words of bytes[at, at + 4 * words): a view when aligned, else a copy
   *  (a DataView read per word was ~10x slower on gunzip's unaligned chunks) */
  private wordsOf(bytes: Uint8Array, at: number, words: number): Uint32Array {
    const offset = bytes.byteOffset + at;
    if (!LITTLE_ENDIAN) {
      const view = new DataView(bytes.buffer, offset, 4 * words);
      return Uint32Array.from({ length: words }, (_, w) => view.getUint32(4 * w, true));
    }
    if (offset % 4 === 0) return new Uint32Array(bytes.buffer, offset, words);
    if (this.scratch.byteLength < 4 * words) this.scratch = new Uint8Array(4 * words);
    this.scratch.set(bytes.subarray(at, at + 4 * words));
    return new Uint32Array(this.scratch.buffer, 0, words);
  }

  private code(c: number): void {
    this.h1 = Math.imul(this.h1 ^ c, MUL1);
    this.h2 = Math.imul(this.h2 ^ c, MUL2);
  }
}

/** whether a Uint32Array reads bytes as little-endian words (as the DataView path does) */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
