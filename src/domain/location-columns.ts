// Row locations as typed columns: a file index and the row's 64-bit content hash as two 32-bit
// words. A 1M-item group names ~2.3M locations (3M items: ~7M); as one 16-hex-char JS string
// each that was ~40 bytes a location (string plus array slot), several hundred MB held by every
// stage that read the manifest. Here a location is 12 bytes. The stored form (JSON) still spells
// each hash as 16 lowercase hex digits, and a hash that is not in that form (older tests and
// hand-written manifests use short names) is kept exactly, as a string, in `odd`: such a hash
// never equals a staged row's hash (rowHashes always gives 16 hex digits).

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

const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** `lo` and `hi` as the 16 hex digits rowHashes spells (hi first) */
export const hexOfWords = (hi: number, lo: number): string => {
  const x = HEX_CODES;
  return String.fromCharCode(
    x[hi >>> 28] as number,
    x[(hi >>> 24) & 15] as number,
    x[(hi >>> 20) & 15] as number,
    x[(hi >>> 16) & 15] as number,
    x[(hi >>> 12) & 15] as number,
    x[(hi >>> 8) & 15] as number,
    x[(hi >>> 4) & 15] as number,
    x[hi & 15] as number,
    x[lo >>> 28] as number,
    x[(lo >>> 24) & 15] as number,
    x[(lo >>> 20) & 15] as number,
    x[(lo >>> 16) & 15] as number,
    x[(lo >>> 12) & 15] as number,
    x[(lo >>> 8) & 15] as number,
    x[(lo >>> 4) & 15] as number,
    x[lo & 15] as number,
  );
};

/** the number of 8 lowercase hex digits of `s` from `at`, or -1 when they are not that */
const hexWord = (s: string, at: number): number => {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
};

/** the location's hash as stored */
export const hashAt = (l: LocationColumns, j: number): string =>
  l.odd.get(j) ?? hexOfWords(l.hi[j] as number, l.lo[j] as number);

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
    const hi = hash.length === 16 ? hexWord(hash, 0) : -1;
    const lo = hi < 0 ? -1 : hexWord(hash, 8);
    if (lo < 0) this.odd.set(this.count, hash);
    this.addWords(file, hi < 0 || lo < 0 ? 0 : hi, lo < 0 ? 0 : lo);
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

const JSON_CHUNK = 65_536;

/** the stored JSON form `{"file":[...],"hash":["<16 hex>",...]}`, written in slices */
export const locationColumnsJson = (l: LocationColumns): string => {
  const parts: string[] = ['{"file":[', l.file.join(','), '],"hash":['];
  const n = locationCount(l);
  for (let start = 0; start < n; start += JSON_CHUNK) {
    const end = Math.min(n, start + JSON_CHUNK);
    const chunk = new Array<string>(end - start);
    for (let j = start; j < end; j++) chunk[j - start] = JSON.stringify(hashAt(l, j));
    if (start > 0) parts.push(',');
    parts.push(chunk.join(','));
  }
  parts.push(']}');
  return parts.join('');
};

/**
 * the stored form parsed back: null when it is not `{file, hash}` naming `fileCount` files.
 * `hash` may be the number `lifted.index`, standing for `lifted.hashes` (the hash array
 * liftHashArrays took out of the text at that place)
 */
export const decodeLocationColumns = (
  u: unknown,
  fileCount: number,
  lifted?: { readonly hashes: LiftedHashes; readonly index: number },
): LocationColumns | null => {
  if (typeof u !== 'object' || u === null) return null;
  const { file, hash } = u as Record<string, unknown>;
  if (!Array.isArray(file)) return null;
  const files = new Uint32Array(file.length);
  for (let j = 0; j < file.length; j++) {
    const f: unknown = file[j];
    if (!Number.isInteger(f) || (f as number) < 0 || (f as number) >= fileCount) return null;
    files[j] = f as number;
  }
  if (typeof hash === 'number') {
    if (lifted === undefined || hash !== lifted.index) return null;
    const { hi, lo, odd } = lifted.hashes;
    return hi.length === file.length ? { file: files, hi, lo, odd } : null;
  }
  if (!Array.isArray(hash) || hash.length !== file.length) return null;
  const b = new LocationColumnsBuilder(file.length);
  for (let j = 0; j < file.length; j++) {
    const h: unknown = hash[j];
    if (typeof h !== 'string') return null;
    b.add(files[j] as number, h);
  }
  return b.build();
};

/** hashes parsed straight out of a JSON text (liftHashArrays), before their files are known */
export interface LiftedHashes {
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  readonly odd: ReadonlyMap<number, string>;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const CLOSE = 0x5d;
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The `"hash":[...]` arrays of a JSON text taken out and parsed into words, each replaced in the
 * text by its index in `hashes`: JSON.parse of a 3M-item manifest made ~7M short strings (~300
 * MB) only to turn them into words. `"hash":[` cannot occur inside a JSON string (its inner
 * quotes would be escaped). null when an array is not a plain list of strings (the caller then
 * parses the text as it is).
 */
export const liftHashArrays = (text: string): { text: string; hashes: LiftedHashes[] } | null => {
  const parts: string[] = [];
  const hashes: LiftedHashes[] = [];
  let last = 0;
  for (let at = text.indexOf('"hash":['); at >= 0; at = text.indexOf('"hash":[', last)) {
    const b = new LocationColumnsBuilder();
    let i = at + 8;
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== CLOSE) {
      for (;;) {
        if (text.charCodeAt(i) !== QUOTE) return null;
        let end = i + 1;
        // the usual case: 16 hex digits and the closing quote
        const hi = text.charCodeAt(i + 17) === QUOTE ? hexWord(text, i + 1) : -1;
        const lo = hi < 0 ? -1 : hexWord(text, i + 9);
        if (lo >= 0) {
          b.addWords(0, hi, lo);
          end = i + 17;
        } else {
          while (end < text.length && text.charCodeAt(end) !== QUOTE)
            end += text.charCodeAt(end) === BACKSLASH ? 2 : 1;
          if (end >= text.length) return null;
          b.add(0, JSON.parse(text.slice(i, end + 1)) as string);
        }
        i = end + 1;
        while (isSpace(text.charCodeAt(i))) i++;
        const c = text.charCodeAt(i);
        if (c === CLOSE) break;
        if (c !== COMMA) return null;
        i++;
        while (isSpace(text.charCodeAt(i))) i++;
      }
    }
    const { hi, lo, odd } = b.build();
    parts.push(text.slice(last, at + 7), String(hashes.length));
    hashes.push({ hi, lo, odd });
    last = i + 1;
  }
  if (hashes.length === 0) return { text, hashes };
  parts.push(text.slice(last));
  return { text: parts.join(''), hashes };
};
