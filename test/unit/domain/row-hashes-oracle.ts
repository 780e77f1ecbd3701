// The row hash and Hash64 as they were before the fused fast path (branch decode-speed), kept
// verbatim as the test oracle: stored hashes must never change, so the fast code is compared
// with this one over random batches (row-hashes-fast.test.ts).
import type { ColumnBatch } from '../../../src/domain/columns.js';
import { SCHEMAS } from '../../../src/domain/datasets.js';

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** Incremental hasher; feed UTF-16 code units, read a 16-hex-digit digest. */
export class OracleHash64 {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;

  code(c: number): this {
    this.h1 = Math.imul(this.h1 ^ c, 2654435761);
    this.h2 = Math.imul(this.h2 ^ c, 1597334677);
    return this;
  }

  text(s: string): this {
    for (let i = 0; i < s.length; i++) this.code(s.charCodeAt(i));
    return this;
  }

  /** One field, length-prefixed and tagged, so ['a,b'] and ['a','b'] differ and null != ''. */
  field(value: string | null): this {
    if (value === null) return this.code(0x01);
    return this.code(0x02).text(String(value.length)).code(0x3a).text(value);
  }

  /** A number by value (its IEEE-754 bits): 1, 1.0 and 1e0 hash alike; -0 is 0. */
  num(value: number): this {
    F64[0] = value === 0 ? 0 : value;
    return this.code(0x03)
      .word(U32[0] as number)
      .word(U32[1] as number);
  }

  /** a 32-bit word, as two 16-bit units */
  private word(w: number): this {
    return this.code(w & 0xffff).code(w >>> 16);
  }

  /** start over, so one hasher serves many rows without allocating */
  reset(): this {
    this.h1 = 0xdeadbeef;
    this.h2 = 0x41c6ce57;
    return this;
  }

  digest(): string {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
  }
}

/** 16 hex digits identifying the sequence `parts` (order matters; null distinct from ''). */
export const oracleFingerprint = (parts: readonly (string | null)[]): string => {
  const h = new OracleHash64();
  h.text(String(parts.length)).code(0x7c);
  for (const p of parts) h.field(p);
  return h.digest();
};

export const oracleRowHashes = (batch: ColumnBatch): string[] => {
  const specs = SCHEMAS[batch.dataset].columns;
  const cols = specs.map((s) => batch.columns[s.name]);
  const out = new Array<string>(batch.length);
  const h = new OracleHash64();
  for (let r = 0; r < batch.length; r++) {
    h.reset().text(batch.dataset).code(0x7c);
    for (const c of cols) {
      // a column missing from the batch hashes as null in every row
      if (c === undefined) h.field(null);
      else if (c.type === 'string') h.field(c.values[r] ?? null);
      else if (c.valid[r] === 1) h.num(c.values[r] as number);
      else h.field(null);
    }
    out[r] = h.digest();
  }
  return out;
};
