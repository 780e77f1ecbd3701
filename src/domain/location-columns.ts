// Row locations as typed columns: a file index and the row's 64-bit content hash as two 32-bit
// words. A 1M-item group names ~2.3M locations (3M items: ~7M); as one 16-hex-char JS string
// each that was ~40 bytes a location (string plus array slot), several hundred MB held by every
// stage that read the manifest. Here a location is 12 bytes. The stored form (JSON) still spells
// each hash as 16 lowercase hex digits, and a hash that is not in that form (older tests and
// hand-written manifests use short names) is kept exactly, as a string, in `odd`: such a hash
// never equals a staged row's hash (rowHashes always gives 16 hex digits).

import { hexOfWords, hexWord } from './hex-words.js';
import { mappedBuffer, mappedSharedBuffer } from './mapped-buffer.js';

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

/** columns from this many bytes on are mapped by V8 (see sharedBuffer); smaller ones malloc'd */
const MAPPED_BYTES = 1 << 20;

/**
 * A SharedArrayBuffer of `bytes`; a big one mapped by V8 (mapped-buffer.ts), so that freed, its
 * memory does not stay in the arena of the thread that made it (the register's worker, gone by
 * then)
 */
const sharedBuffer = (bytes: number): SharedArrayBuffer =>
  bytes < MAPPED_BYTES ? new SharedArrayBuffer(bytes) : mappedSharedBuffer(bytes);

/**
 * A column of n locations' words; a big one mapped by V8 (mapped-buffer.ts), for the reason
 * sharedBuffer gives: the manifest's columns decoded in Validate and the builder's grown
 * columns, freed, stayed in the main thread's malloc arena (~86 MB each at 3M items).
 */
const column = (n: number): Uint32Array => {
  const bytes = n * Uint32Array.BYTES_PER_ELEMENT;
  if (bytes < MAPPED_BYTES) return new Uint32Array(n);
  return new Uint32Array(mappedBuffer(bytes), 0, n);
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
    this.file = column(n);
    this.hi = column(n);
    this.lo = column(n);
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

  /**
   * the columns, trimmed to their length (copies: the builder's slack is released); `shared`:
   * copied into SharedArrayBuffers, so that posting them to another thread shares them instead
   * of copying them (the builder's own columns are never shared)
   */
  build(shared = false): LocationColumns {
    const n = this.count;
    const trim = (a: Uint32Array): Uint32Array => {
      if (!shared && a.length === n) return a;
      const out = shared
        ? new Uint32Array(sharedBuffer(n * Uint32Array.BYTES_PER_ELEMENT), 0, n)
        : column(n);
      out.set(a.subarray(0, n));
      return out;
    };
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
      const b = column(a.length * 2);
      b.set(a);
      return b;
    };
    this.file = bigger(this.file);
    this.hi = bigger(this.hi);
    this.lo = bigger(this.lo);
  }
}
