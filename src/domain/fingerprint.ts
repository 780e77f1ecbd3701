// A pure, non-cryptographic 64-bit content hash (cyrb53's mixing over two full 32-bit lanes).
// Used for content-derived ids (group ids, row versions) where the domain must stay free of
// node:crypto; collisions are astronomically unlikely at pipeline scale, and nothing relies
// on it for security.

/** Incremental hasher; feed UTF-16 code units, read a 16-hex-digit digest. */
export class Hash64 {
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

  /** A number by value: 1, 1.0 and 1e0 hash alike; -0 is 0. */
  num(value: number): this {
    return this.code(0x03)
      .text(String(value === 0 ? 0 : value))
      .code(0x3b);
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
export const fingerprint = (parts: readonly (string | null)[]): string => {
  const h = new Hash64();
  h.text(String(parts.length)).code(0x7c);
  for (const p of parts) h.field(p);
  return h.digest();
};
