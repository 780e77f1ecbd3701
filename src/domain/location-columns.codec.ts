// The stored (JSON) form of LocationColumns: `{"file":[...],"hash":["<16 hex>",...]}`, the text
// the manifests and landing records have always held. Written in slices; read either from
// parsed JSON or, for big texts, with the hash arrays lifted out of the text first and parsed
// straight into words (no string per location, even for a moment).
import { HEX_CODES, hexWord } from './hex-words.js';
import { BACKSLASH, CLOSE, COMMA, OPEN, QUOTE } from './json-bytes.js';
import { base64Bytes, base64Into, base64Length } from './json-bytes-base64.js';
import { JsonBytesWriter } from './json-bytes-writer.js';
import {
  LocationColumnsBuilder,
  hashAt,
  locationCount,
  type LocationColumns,
} from './location-columns.js';

const JSON_CHUNK = 65_536;
const UTF8 = new TextEncoder();

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

/** a location's widest usual form: ',"' + 16 hex digits + '"' */
const HASH_BYTES = 19;

/** the two hex digits of each byte value, by value: [2b] and [2b + 1] */
const HEX_PAIRS = Uint8Array.from(
  { length: 512 },
  (_, i) => HEX_CODES[i % 2 === 0 ? (i >>> 1) >>> 4 : (i >>> 1) & 15] as number,
);

/** writes the 8 hex digits of `w` at out[at] (a byte's two digits at a time) */
const hexBytes = (out: Uint8Array, at: number, w: number): void => {
  const p = HEX_PAIRS;
  let b = (w >>> 23) & 0x1fe;
  out[at] = p[b] as number;
  out[at + 1] = p[b + 1] as number;
  b = (w >>> 15) & 0x1fe;
  out[at + 2] = p[b] as number;
  out[at + 3] = p[b + 1] as number;
  b = (w >>> 7) & 0x1fe;
  out[at + 4] = p[b] as number;
  out[at + 5] = p[b + 1] as number;
  b = (w << 1) & 0x1fe;
  out[at + 6] = p[b] as number;
  out[at + 7] = p[b + 1] as number;
};

/**
 * locationColumnsJson's text as UTF-8 bytes in parts (their concatenation is its UTF-8): each hash
 * written as bytes from its words, where the text made a 16-digit string per location first
 * (a 1M-item manifest: 2.3M strings, encoded again to bytes)
 */
export function* locationColumnsJsonBytes(l: LocationColumns): Generator<Uint8Array> {
  const utf8 = new TextEncoder();
  const { hi, lo, odd } = l;
  yield utf8.encode('{"file":[');
  // the file indexes' digits written as bytes (a typed array's join made a string per part)
  const files = new JsonBytesWriter(4 * JSON_CHUNK);
  for (let start = 0; start < l.file.length; start += JSON_CHUNK) {
    const end = Math.min(l.file.length, start + JSON_CHUNK);
    for (let j = start; j < end; j++) {
      if (j > 0) files.byte(COMMA);
      files.number(l.file[j] as number);
    }
    yield files.take();
  }
  yield utf8.encode('],"hash":[');
  const n = locationCount(l);
  for (let start = 0; start < n; start += JSON_CHUNK) {
    const end = Math.min(n, start + JSON_CHUNK);
    let out = new Uint8Array((end - start) * HASH_BYTES);
    let at = 0;
    for (let j = start; j < end; j++) {
      if (j > 0) out[at++] = COMMA;
      const text = odd.size === 0 ? undefined : odd.get(j);
      if (text === undefined) {
        out[at] = QUOTE;
        hexBytes(out, at + 1, hi[j] as number);
        hexBytes(out, at + 9, lo[j] as number);
        out[at + 17] = QUOTE;
        at += 18;
      } else {
        const b = utf8.encode(JSON.stringify(text));
        const need = at + b.length + (end - j) * HASH_BYTES;
        if (need > out.length) {
          const bigger = new Uint8Array(2 * need);
          bigger.set(out.subarray(0, at));
          out = bigger;
        }
        out.set(b, at);
        at += b.length;
      }
    }
    yield out.subarray(0, at);
  }
  yield utf8.encode(']}');
}

/**
 * the stored form parsed back: null when it is not `{file, hash}` naming `fileCount` files
 * (`file` an array of numbers, or the indexes already as a Uint32Array).
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
  let files: Uint32Array;
  if (file instanceof Uint32Array) {
    // parsed straight into words (the streamed manifest decode): only the range is left to check
    for (const f of file) if (f >= fileCount) return null;
    files = file;
  } else {
    if (!Array.isArray(file)) return null;
    files = new Uint32Array(file.length);
    for (let j = 0; j < file.length; j++) {
      const f: unknown = file[j];
      if (!Number.isInteger(f) || (f as number) < 0 || (f as number) >= fileCount) return null;
      files[j] = f as number;
    }
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

// The compact stored form (manifests written from round 10 on):
// `{"file":[...],"hash":"<base64>"}` or, where locations repeat (an order's products: a 1M-item
// group names ~1M product rows of ~10k products), the distinct ones and where each stands,
// `{"file":[...distinct],"hash":"<base64 distinct>","at":"<base64>"}`. `hash` is each hash's 8
// bytes, hi word first, big-endian (the bytes its 16 hex digits spell); `at` is each location's
// index into the distinct ones, 2 bytes little-endian while there are at most 65,536 of them,
// else 4. Only columns whose hashes are all 16 hex digits (`odd` empty) have this form.

/** hashes per base64 part: a multiple of 3, so each part's 8-byte hashes end on a quad */
const HASHES_PER_PART = 3 * 21_846;
/** `at` entries per base64 part: a multiple of 3 (2 or 4 bytes each) */
const AT_PER_PART = 3 * 65_536;

/** the width of an `at` entry, by the number of distinct locations */
export const atWidth = (distinct: number): 2 | 4 => (distinct <= 65_536 ? 2 : 4);

/**
 * the distinct locations of `l` in the order they first come, and each location's index among
 * them (an open-addressing table over the three words: a Map keyed by a string per location
 * would make 1M strings)
 */
export const distinctLocations = (
  l: LocationColumns,
): { readonly distinct: LocationColumns; readonly at: Uint32Array } => {
  const { file, hi, lo } = l;
  const n = file.length;
  const at = new Uint32Array(n);
  let count = 0;
  let bits = 10;
  let slots = new Int32Array(1 << bits).fill(-1);
  const dFile: number[] = [];
  const dHi: number[] = [];
  const dLo: number[] = [];
  // multiplicative hashing: the product's top bits pick the slot
  const slotOf = (f: number, h: number, w: number, table: Int32Array): number => {
    const mask = table.length - 1;
    const x = Math.imul(h ^ Math.imul(w ^ (w >>> 16), 0x85ebca6b) ^ f, 0x9e3779b1);
    let s = x >>> (32 - bits);
    for (;;) {
      const d = table[s] as number;
      if (d < 0 || (dHi[d] === h && dLo[d] === w && dFile[d] === f)) return s;
      s = (s + 1) & mask;
    }
  };
  for (let j = 0; j < n; j++) {
    const f = file[j] as number;
    const h = hi[j] as number;
    const w = lo[j] as number;
    const s = slotOf(f, h, w, slots);
    let d = slots[s] as number;
    if (d < 0) {
      d = count++;
      dFile.push(f);
      dHi.push(h);
      dLo.push(w);
      slots[s] = d;
      if (2 * count > 1 << bits) {
        bits++;
        const bigger = new Int32Array(1 << bits).fill(-1);
        for (let k = 0; k < count; k++)
          bigger[slotOf(dFile[k] as number, dHi[k] as number, dLo[k] as number, bigger)] = k;
        slots = bigger;
      }
    }
    at[j] = d;
  }
  return {
    distinct: {
      file: Uint32Array.from(dFile),
      hi: Uint32Array.from(dHi),
      lo: Uint32Array.from(dLo),
      odd: new Map(),
    },
    at,
  };
};

/** the base64 of the hashes' 8 bytes each, as a JSON string, in parts */
function* hashBase64Bytes(l: LocationColumns): Generator<Uint8Array> {
  const { hi, lo } = l;
  const n = hi.length;
  const raw = new Uint8Array(8 * HASHES_PER_PART);
  yield Uint8Array.of(QUOTE);
  for (let start = 0; start < n || start === 0; start += HASHES_PER_PART) {
    const end = Math.min(n, start + HASHES_PER_PART);
    let b = 0;
    for (let j = start; j < end; j++) {
      const h = hi[j] as number;
      const w = lo[j] as number;
      raw[b] = h >>> 24;
      raw[b + 1] = (h >>> 16) & 255;
      raw[b + 2] = (h >>> 8) & 255;
      raw[b + 3] = h & 255;
      raw[b + 4] = w >>> 24;
      raw[b + 5] = (w >>> 16) & 255;
      raw[b + 6] = (w >>> 8) & 255;
      raw[b + 7] = w & 255;
      b += 8;
    }
    const out = new Uint8Array(base64Length(b) + (end === n ? 1 : 0));
    let o = base64Into(raw, b, out, 0);
    if (end === n) out[o++] = QUOTE;
    yield out.subarray(0, o);
    if (end === n) break;
  }
}

/** the base64 of `at`, `width` bytes each, little-endian, as a JSON string, in parts */
function* atBase64Bytes(at: Uint32Array, width: 2 | 4): Generator<Uint8Array> {
  const n = at.length;
  const raw = new Uint8Array(width * AT_PER_PART);
  yield Uint8Array.of(QUOTE);
  for (let start = 0; ; start += AT_PER_PART) {
    const end = Math.min(n, start + AT_PER_PART);
    let b = 0;
    for (let j = start; j < end; j++) {
      const v = at[j] as number;
      raw[b] = v & 255;
      raw[b + 1] = (v >>> 8) & 255;
      if (width === 4) {
        raw[b + 2] = (v >>> 16) & 255;
        raw[b + 3] = v >>> 24;
      }
      b += width;
    }
    const out = new Uint8Array(base64Length(b) + (end === n ? 1 : 0));
    let o = base64Into(raw, b, out, 0);
    if (end === n) out[o++] = QUOTE;
    yield out.subarray(0, o);
    if (end === n) break;
  }
}

/** the file indexes as a JSON array, in parts */
function* fileArrayBytes(file: Uint32Array): Generator<Uint8Array> {
  const w = new JsonBytesWriter(4 * JSON_CHUNK);
  w.byte(OPEN);
  for (let start = 0; start < file.length; start += JSON_CHUNK) {
    const end = Math.min(file.length, start + JSON_CHUNK);
    for (let j = start; j < end; j++) {
      if (j > 0) w.byte(COMMA);
      w.number(file[j] as number);
    }
    yield w.take();
  }
  w.byte(CLOSE);
  yield w.take();
}

/** whether the compact form says `l` (its hashes all 16 hex digits) */
export const compactable = (l: LocationColumns): boolean => l.odd.size === 0;

/**
 * whether a column is written as its distinct locations and `at`: when at most half of its
 * locations are distinct (then it is smaller)
 */
export const dedupes = (n: number, distinct: number): boolean => 2 * distinct <= n;

/**
 * The compact stored form of `l` (compactable) as UTF-8 bytes in parts. `repeats`: the column's
 * locations may repeat (products), so its distinct ones are looked for.
 */
export function* locationColumnsCompactBytes(
  l: LocationColumns,
  repeats: boolean,
): Generator<Uint8Array> {
  const d = repeats ? distinctLocations(l) : null;
  const shared = d !== null && dedupes(locationCount(l), locationCount(d.distinct));
  const cols = shared ? d.distinct : l;
  yield UTF8.encode('{"file":');
  yield* fileArrayBytes(cols.file);
  yield UTF8.encode(',"hash":');
  yield* hashBase64Bytes(cols);
  if (shared) {
    yield UTF8.encode(',"at":');
    yield* atBase64Bytes(d.at, atWidth(locationCount(d.distinct)));
  }
  yield UTF8.encode('}');
}

/** the hashes of a compact column's base64 bytes (8 each), or null when they are not that */
export const hashesOfBase64 = (bytes: Uint8Array): LiftedHashes | null => {
  if (bytes.length % 8 !== 0) return null;
  const n = bytes.length / 8;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let j = 0, b = 0; j < n; j++, b += 8) {
    hi[j] =
      (((bytes[b] as number) << 24) |
        ((bytes[b + 1] as number) << 16) |
        ((bytes[b + 2] as number) << 8) |
        (bytes[b + 3] as number)) >>>
      0;
    lo[j] =
      (((bytes[b + 4] as number) << 24) |
        ((bytes[b + 5] as number) << 16) |
        ((bytes[b + 6] as number) << 8) |
        (bytes[b + 7] as number)) >>>
      0;
  }
  return { hi, lo, odd: new Map() };
};

/**
 * a compact column's locations spelled out: each `at` entry (bytes of `width`, little-endian)
 * takes its distinct location; null when an entry is past them or the bytes are not whole entries
 */
export const expandLocations = (
  file: Uint32Array,
  hashes: LiftedHashes,
  atBytes: Uint8Array,
): { file: Uint32Array; hashes: LiftedHashes } | null => {
  const distinct = file.length;
  if (hashes.hi.length !== distinct) return null;
  const width = atWidth(distinct);
  if (atBytes.length % width !== 0) return null;
  const n = atBytes.length / width;
  const f = new Uint32Array(n);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let j = 0, b = 0; j < n; j++, b += width) {
    const d =
      width === 2
        ? (atBytes[b] as number) | ((atBytes[b + 1] as number) << 8)
        : ((atBytes[b] as number) |
            ((atBytes[b + 1] as number) << 8) |
            ((atBytes[b + 2] as number) << 16) |
            ((atBytes[b + 3] as number) << 24)) >>>
          0;
    if (d >= distinct) return null;
    f[j] = file[d] as number;
    hi[j] = hashes.hi[d] as number;
    lo[j] = hashes.lo[d] as number;
  }
  return { file: f, hashes: { hi, lo, odd: new Map() } };
};

/**
 * A compact column as JSON.parse gives it (`file` an array of numbers, `hash` and `at` base64
 * strings) turned into its file indexes and hashes (the form decodeLocationColumns reads with
 * lifted hashes); null when it is not the compact form or is broken.
 */
export const decodeCompactLocations = (
  u: unknown,
): { file: Uint32Array; hashes: LiftedHashes } | null => {
  if (typeof u !== 'object' || u === null) return null;
  const { file, hash, at, ...rest } = u as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || !Array.isArray(file) || typeof hash !== 'string') return null;
  const files = new Uint32Array(file.length);
  for (let j = 0; j < file.length; j++) {
    const f: unknown = file[j];
    if (!Number.isInteger(f) || (f as number) < 0 || (f as number) > 0xffffffff) return null;
    files[j] = f as number;
  }
  const bytes = base64Bytes(hash);
  const hashes = bytes === null ? null : hashesOfBase64(bytes);
  if (hashes === null || hashes.hi.length !== files.length) return null;
  if (at === undefined) return { file: files, hashes };
  if (typeof at !== 'string') return null;
  const atBytes = base64Bytes(at);
  return atBytes === null ? null : expandLocations(files, hashes, atBytes);
};
