// A string column as UTF-8 bytes, the form in which the fact columns go to the Delta commit
// worker: a few ArrayBuffers that postMessage transfers (a structured clone of 10^6 strings would
// copy each one into the other heap). The worker builds each date's Arrow Utf8 data by copying
// byte ranges and finds the stats' min/max by comparing bytes (UTF-8 byte order is the code point
// order the stats use, delta-stats.ts), so it never makes a JS string per row.
import * as arrow from 'apache-arrow';
import { bitmapOf } from '../parquet/arrow-columns.js';
import { asciiInto } from '../parquet/ascii-bytes.js';

export interface Utf8Column {
  /** UTF-8 bytes of the entries: entry e is bytes[offsets[e], offsets[e + 1]) */
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
  /**
   * each row's entry (-1 for null; 16 bits, 0xFFFF for null, when there are fewer entries);
   * null: row r is entry r (a column without nulls)
   */
  readonly codes: Int32Array | Uint16Array | null;
}

const isNull = (v: unknown): boolean => v === null || v === undefined;
const text = (v: unknown): string => (typeof v === 'string' ? v : String(v));

/** the null code of 16-bit codes */
const NULL16 = 0xffff;

/**
 * The entries' UTF-8 bytes and offsets. ASCII text (ids, statuses, categories of a shop export)
 * has one byte per UTF-16 unit, so the offsets are known from the lengths and the units are the
 * bytes (ascii-bytes.ts); other text is joined and encoded whole.
 */
function entriesOf(values: readonly string[]): { bytes: Uint8Array; offsets: Int32Array } {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  let units = 0;
  for (let i = 0; i < n; i++) offsets[i + 1] = units += (values[i] as string).length;
  const bytes = new Uint8Array(units);
  return asciiInto(values, bytes) ? { bytes, offsets } : nonAsciiEntriesOf(values);
}

function nonAsciiEntriesOf(values: readonly string[]): { bytes: Uint8Array; offsets: Int32Array } {
  // TextEncoder returns a buffer of its own (Buffer.from may hand out a slice of a shared pool,
  // which cannot be transferred)
  const bytes = new TextEncoder().encode(values.join(''));
  const offsets = new Int32Array(values.length + 1);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    offsets[i + 1] = at += Buffer.byteLength(values[i] as string, 'utf8');
  }
  return { bytes, offsets };
}

/**
 * How rows map to entries: 'rows', one entry per row (unique ids); 'runs', one per run of equal
 * adjacent values (an order's items repeat its order and user ids); 'distinct', one per distinct
 * value (statuses, categories, the shop's products). A null needs an entry code, so a 'rows'
 * column holding one is made as 'runs'.
 */
export type Utf8Layout = 'rows' | 'runs' | 'distinct';

function allStrings(values: readonly unknown[]): values is readonly string[] {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'string') return false;
  return true;
}

/** values (strings, or null) as a Utf8Column */
export function utf8Column(values: readonly unknown[], layout: Utf8Layout): Utf8Column {
  if (layout === 'rows' && allStrings(values)) {
    return { ...entriesOf(values), codes: null };
  }
  const index = new Map<string, number>();
  const entries: string[] = [];
  const codes = new Int32Array(values.length);
  let previous: unknown = undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isNull(v)) {
      codes[i] = -1;
      previous = undefined;
      continue;
    }
    if (layout !== 'distinct') {
      // the same string as the row before (the staged rows share an order's strings)
      if (v !== previous) entries.push(text(v));
      codes[i] = entries.length - 1;
      previous = v;
      continue;
    }
    // an order's items repeat its status: the row before answers without a lookup
    if (v === previous) {
      codes[i] = codes[i - 1] as number;
      continue;
    }
    const s = text(v);
    let e = index.get(s);
    if (e === undefined) index.set(s, (e = entries.push(s) - 1));
    codes[i] = e;
    previous = v;
  }
  // a column of few values (statuses, categories, products) in half the bytes
  return { ...entriesOf(entries), codes: entries.length < NULL16 ? narrowCodes(codes) : codes };
}

// a loop: Uint16Array.from with a mapping function took ~0.1 s per 10^6 codes
function narrowCodes(codes: Int32Array): Uint16Array {
  const narrow = new Uint16Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const e = codes[i] as number;
    narrow[i] = e < 0 ? NULL16 : e;
  }
  return narrow;
}

/** the column's buffers, for postMessage's transfer list */
export const utf8Buffers = (c: Utf8Column): ArrayBuffer[] =>
  [c.bytes.buffer, c.offsets.buffer, c.codes?.buffer].filter(
    (b): b is ArrayBuffer => b instanceof ArrayBuffer,
  );

function entryOf(c: Utf8Column, row: number): number {
  if (c.codes === null) return row;
  const e = c.codes[row] as number;
  return e === NULL16 && c.codes instanceof Uint16Array ? -1 : e;
}

/** entry e as a string */
export const entryText = (c: Utf8Column, e: number): string =>
  new TextDecoder().decode(c.bytes.subarray(c.offsets[e], c.offsets[e + 1]));

/** every row as a string (or null); rows of one entry share one string */
export function decodeUtf8Column(c: Utf8Column, length: number): (string | null)[] {
  const decoder = new TextDecoder();
  const entries = c.offsets.length - 1;
  const all = decoder.decode(c.bytes);
  // ASCII: string offsets are byte offsets, so one decode and a slice per entry
  const ascii = all.length === c.bytes.length;
  const at = (e: number): string =>
    ascii
      ? all.slice(c.offsets[e], c.offsets[e + 1])
      : decoder.decode(c.bytes.subarray(c.offsets[e], c.offsets[e + 1]));
  if (c.codes === null) return Array.from({ length: entries }, (_, e) => at(e));
  const texts = Array.from({ length: entries }, (_, e) => at(e));
  return Array.from({ length }, (_, r) => {
    const e = entryOf(c, r);
    return e < 0 ? null : (texts[e] as string);
  });
}

/** UTF-8 byte order of entries a and b */
function compareEntries(c: Utf8Column, a: number, b: number): number {
  const { bytes, offsets } = c;
  let i = offsets[a] as number;
  let j = offsets[b] as number;
  const endA = offsets[a + 1] as number;
  const endB = offsets[b + 1] as number;
  for (; i < endA && j < endB; i++, j++) {
    const d = (bytes[i] as number) - (bytes[j] as number);
    if (d !== 0) return d;
  }
  return endA - i - (endB - j);
}

/**
 * The Arrow Utf8 data of the rows `rows` (the layout utf8Data builds from strings: offsets,
 * bytes, a validity bitmap only when a row is null) and their min/max entries (-1: all null).
 * Each row's entry is found once (a first pass: sizes, nulls, min/max), then its bytes copied;
 * the bitmap is made only when a row is null. Three lookups a row and a closure call per row
 * for the bitmap were ~1/5 of the Delta worker's CPU at 10^6 facts (six string columns).
 */
export function utf8Rows(
  c: Utf8Column,
  rows: readonly number[],
): { data: arrow.Data<arrow.Utf8>; min: number; max: number } {
  const n = rows.length;
  const { bytes, offsets, codes } = c;
  const nullCode = codes instanceof Uint16Array ? NULL16 : -1;
  const entries = codes === null ? null : new Int32Array(n);
  const valueOffsets = new Int32Array(n + 1);
  let total = 0;
  let nullCount = 0;
  let min = -1;
  let max = -1;
  let last = -2;
  for (let i = 0; i < n; i++) {
    const row = rows[i] as number;
    let e = row;
    if (codes !== null) {
      e = codes[row] as number;
      if (e === nullCode) e = -1;
      (entries as Int32Array)[i] = e;
    }
    if (e >= 0) {
      total += (offsets[e + 1] as number) - (offsets[e] as number);
      // an order's items repeat its ids: a row of the entry just compared changes nothing.
      // min <= max, so an entry above max is not below min (ascending ids: one compare a row)
      if (e !== last) {
        if (max < 0) min = max = e;
        else if (compareEntries(c, e, max) > 0) max = e;
        else if (compareEntries(c, e, min) < 0) min = e;
        last = e;
      }
    } else nullCount += 1;
    valueOffsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  let to = 0;
  for (let i = 0; i < n; i++) {
    const e = entries === null ? (rows[i] as number) : (entries[i] as number);
    if (e < 0) continue;
    const end = offsets[e + 1] as number;
    for (let k = offsets[e] as number; k < end; k++) data[to++] = bytes[k] as number;
  }
  const nullBitmap =
    nullCount === 0 || entries === null
      ? undefined
      : bitmapOf(n, (i) => (entries[i] as number) >= 0)[0];
  const type = new arrow.Utf8();
  return {
    data: arrow.makeData({ type, length: n, nullCount, nullBitmap, valueOffsets, data }),
    min,
    max,
  };
}
