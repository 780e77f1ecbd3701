// Row locations as typed columns: a file index and the row's 64-bit content hash as two 32-bit
// words. A 1M-item group names ~2.3M locations (3M items: ~7M); as one 16-hex-char JS string
// each that was ~40 bytes a location (string plus array slot), several hundred MB held by every
// stage that read the manifest. Here a location is 12 bytes. The stored form (JSON) still spells
// each hash as 16 lowercase hex digits, and a hash that is not in that form (older tests and
// hand-written manifests use short names) is kept exactly, as a string, in `odd`: such a hash
// never equals a staged row's hash (rowHashes always gives 16 hex digits).

import { hexOfWords, hexWord } from './hex-words.js';

export interface LocationColumns {
  /** index into CompletionColumns.files */
  readonly file: Uint32Array;
  /** the hash's first 8 hex digits as a number */
  readonly hi: Uint32Array;
  /** the hash's last 8 hex digits as a number */
  readonly lo: Uint32Array;
  /** location index -> its hash, where that hash is not 16 lowercase hex digits (hi = lo = 0) */
  readonly odd: ReadonlyMap<number, string>;
}

export const locationCount = (l: LocationColumns): number => l.file.length;

/** the location's hash as stored */
export const hashAt = (l: LocationColumns, j: number): string =>
  l.odd.get(j) ?? hexOfWords(l.hi[j] as number, l.lo[j] as number);

/**
 * A hash's two words as the columns keep it: [hi, lo] when it is 16 lowercase hex digits, else
 * [-1, -1] (the hash is then kept as text, in `odd`).
 */
export const hashWordsOf = (hash: string): readonly [hi: number, lo: number] => {
  const hi = hash.length === 16 ? hexWord(hash, 0) : -1;
  const lo = hi < 0 ? -1 : hexWord(hash, 8);
  return lo < 0 ? [-1, -1] : [hi, lo];
};

/** Appends locations into typed columns that double as they fill. */
export class LocationColumnsBuilder {
  private file: Uint32Array;
  private hi: Uint32Array;
  private lo: Uint32Array;
  private readonly odd = new Map<number, string>();
  private count = 0;

  /** expected: how many locations to make room for up front */
  constructor(expected = 1024) {
    const n = Math.max(16, expected);
    this.file = new Uint32Array(n);
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
  }

  get size(): number {
    return this.count;
  }

  /** a location whose hash is given as text (16 hex digits, or kept as it is) */
  add(file: number, hash: string): void {
    const [hi, lo] = hashWordsOf(hash);
    if (hi < 0) this.odd.set(this.count, hash);
    this.addWords(file, hi < 0 ? 0 : hi, hi < 0 ? 0 : lo);
  }

  /** a location whose hash is given as its two words */
  addWords(file: number, hi: number, lo: number): void {
    if (this.count === this.file.length) this.grow();
    this.file[this.count] = file;
    this.hi[this.count] = hi;
    this.lo[this.count] = lo;
    this.count++;
  }

  /** the columns, trimmed to their length (copies: the builder's slack is released) */
  build(): LocationColumns {
    const n = this.count;
    const trim = (a: Uint32Array): Uint32Array => (a.length === n ? a : a.slice(0, n));
    return { file: trim(this.file), hi: trim(this.hi), lo: trim(this.lo), odd: this.odd };
  }

  /** appends `from`'s locations, then empties `from` (its columns are kept, to fill again) */
  take(from: LocationColumnsBuilder): void {
    const n = from.count;
    while (this.count + n > this.file.length) this.grow();
    this.file.set(from.file.subarray(0, n), this.count);
    this.hi.set(from.hi.subarray(0, n), this.count);
    this.lo.set(from.lo.subarray(0, n), this.count);
    for (const [j, hash] of from.odd) this.odd.set(this.count + j, hash);
    this.count += n;
    from.odd.clear();
    from.count = 0;
  }

  private grow(): void {
    const bigger = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.file = bigger(this.file);
    this.hi = bigger(this.hi);
    this.lo = bigger(this.lo);
  }
}
