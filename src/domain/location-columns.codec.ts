// The stored (JSON) form of LocationColumns: `{"file":[...],"hash":["<16 hex>",...]}`, the text
// the manifests and landing records have always held. Written in slices; read either from
// parsed JSON or, for big texts, with the hash arrays lifted out of the text first and parsed
// straight into words (no string per location, even for a moment).
import { HEX_CODES, hexWord } from './hex-words.js';
import { BACKSLASH, CLOSE, COMMA, QUOTE } from './json-bytes.js';
import { JsonBytesWriter } from './json-bytes-writer.js';
import {
  LocationColumnsBuilder,
  hashAt,
  locationCount,
  type LocationColumns,
} from './location-columns.js';

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
