// A pure, non-cryptographic 64-bit content hash (cyrb53's mixing over two full 32-bit lanes).
// Used for content-derived ids (group ids, row versions) where the domain must stay free of
// node:crypto; collisions are astronomically unlikely at pipeline scale, and nothing relies
// on it for security. The hashes are stored in every home, so the function is frozen: the
// fast paths (hexDigest, and rowHashes' inlined loop) are compared with the original code
// kept as the oracle in test/unit/domain/row-hashes-oracle.ts.

import { hexOfWords } from './hex-words.js';

// scratch view to read a float's bits without allocating
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

export const MUL1 = 2654435761;
export const MUL2 = 1597334677;
export const SEED1 = 0xdeadbeef;
export const SEED2 = 0x41c6ce57;

/** The 16-hex-digit digest of the two lanes (spelled by hexOfWords, 1M rows: 1.1 s -> ~0.2 s). */
export function hexDigest(lane1: number, lane2: number): string {
  let h1 = lane1;
  let h2 = lane2;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return hexOfWords(h2 >>> 0, h1 >>> 0);
}

/** The IEEE-754 words of a number as Hash64.num feeds them (-0 as 0): [low, high]. */
export function floatWords(value: number): Uint32Array {
  F64[0] = value === 0 ? 0 : value;
  return U32;
}

/** Incremental hasher; feed UTF-16 code units, read a 16-hex-digit digest. */
export class Hash64 {
  private h1 = SEED1;
  private h2 = SEED2;

  code(c: number): this {
    this.h1 = Math.imul(this.h1 ^ c, MUL1);
    this.h2 = Math.imul(this.h2 ^ c, MUL2);
    return this;
  }

  text(s: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, MUL1);
      h2 = Math.imul(h2 ^ c, MUL2);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /** One field, length-prefixed and tagged, so ['a,b'] and ['a','b'] differ and null != ''. */
  field(value: string | null): this {
    if (value === null) return this.code(0x01);
    return this.code(0x02).text(String(value.length)).code(0x3a).text(value);
  }

  /** A number by value (its IEEE-754 bits): 1, 1.0 and 1e0 hash alike; -0 is 0. */
  num(value: number): this {
    const w = floatWords(value);
    return this.code(0x03)
      .word(w[0] as number)
      .word(w[1] as number);
  }

  /** a 32-bit word, as two 16-bit units */
  private word(w: number): this {
    return this.code(w & 0xffff).code(w >>> 16);
  }

  /** start over, so one hasher serves many rows without allocating */
  reset(): this {
    this.h1 = SEED1;
    this.h2 = SEED2;
    return this;
  }

  /** the two lanes as they stand, for code that continues the hash inline (rowHashes) */
  lanes(): readonly [number, number] {
    return [this.h1, this.h2];
  }

  digest(): string {
    return hexDigest(this.h1, this.h2);
  }
}

/** 16 hex digits identifying the sequence `parts` (order matters; null distinct from ''). */
export const fingerprint = (parts: readonly (string | null)[]): string => {
  const h = new Hash64();
  h.text(String(parts.length)).code(0x7c);
  for (const p of parts) h.field(p);
  return h.digest();
};
