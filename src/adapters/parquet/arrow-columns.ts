// ColumnBatch <-> Arrow record batch, straight from/to typed arrays.
// Staging schema: strings Utf8 (Dictionary<Int32, Utf8> for low-cardinality ones), int and money
// Int64 (money as integer cents: exact, identical to the in-memory form, and cheap to convert;
// decimal(12,2) would need 128-bit words built by hand in arrow-js for no gain in exactness),
// timestamps Timestamp(ms, 'UTC'), and `_line` Uint32 for the source line of each row.
import * as arrow from 'apache-arrow';
import type { Column, ColumnBatch } from '../../domain/columns.js';
import { SCHEMAS, type ColumnType, type DatasetName } from '../../domain/datasets.js';
import { asciiInto } from './ascii-bytes.js';

export const LINE_COLUMN = '_line';
/** each row's content hash (rowHashWords) as one int64: 8 bytes a row, never hashed again */
export const HASH_COLUMN = '_hash';
export const DICTIONARY_COLUMNS: ReadonlySet<string> = new Set([
  'status',
  'category',
  'brand',
  'department',
]);

export type ArrowTypes = Record<string, arrow.DataType>;

/** One type object per column for a whole file: a dictionary's id must not change between
 *  batches, or the IPC writer would see a new schema. */
export function arrowTypes(dataset: DatasetName): ArrowTypes {
  const types: ArrowTypes = {};
  let dictionaryId = 0;
  for (const c of SCHEMAS[dataset].columns) {
    types[c.name] =
      c.type === 'string'
        ? DICTIONARY_COLUMNS.has(c.name)
          ? new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32(), dictionaryId++)
          : new arrow.Utf8()
        : c.type === 'timestamp'
          ? new arrow.TimestampMillisecond('UTC')
          : new arrow.Int64();
  }
  return types;
}

const TWO_32 = 4_294_967_296;

/** validity bitmap (Arrow: bit i of byte i>>3) and the null count */
export function bitmapOf(
  n: number,
  isValid: (i: number) => boolean,
): [Uint8Array | undefined, number] {
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (isValid(i)) bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
    else nulls++;
  }
  return [nulls > 0 ? bitmap : undefined, nulls];
}

// int64 words written as two uint32 halves (little endian): exact for |x| < 2^53 and several
// times faster than a BigInt per value.
function numberData(type: arrow.DataType, values: Float64Array, valid: Uint8Array): arrow.Data {
  const n = values.length;
  const words = new Uint32Array(n * 2);
  for (let i = 0; i < n; i++) {
    if (valid[i] !== 1) continue;
    const x = values[i] as number;
    const hi = Math.floor(x / TWO_32);
    words[2 * i] = x - hi * TWO_32;
    words[2 * i + 1] = hi;
  }
  const [nullBitmap, nullCount] = bitmapOf(n, (i) => valid[i] === 1);
  const data = new BigInt64Array(words.buffer);
  return arrow.makeData({ type: type as arrow.Int64, length: n, nullCount, data, nullBitmap });
}

// Utf8: offsets from string lengths, and the bytes written unit by unit, when the text is ASCII
// (byte length = string length; ascii-bytes.ts); else the column joined (nulls join as '') in one
// native encode, and offsets from per-value byte lengths.
export function utf8Data(values: readonly (string | null)[]): arrow.Data<arrow.Utf8> {
  const n = values.length;
  const valueOffsets = new Int32Array(n + 1);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) at += v.length;
    valueOffsets[i + 1] = at;
  }
  let data = new Uint8Array(at);
  if (!asciiInto(values, data)) {
    data = Buffer.from(values.join(''), 'utf8');
    at = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v !== null && v !== undefined) at += Buffer.byteLength(v, 'utf8');
      valueOffsets[i + 1] = at;
    }
  }
  const [nullBitmap, nullCount] = bitmapOf(n, (i) => values[i] !== null && values[i] !== undefined);
  return arrow.makeData({
    type: new arrow.Utf8(),
    length: n,
    nullCount,
    nullBitmap,
    valueOffsets,
    data,
  });
}

function dictionaryData(type: arrow.Dictionary, values: readonly (string | null)[]): arrow.Data {
  const n = values.length;
  const index = new Map<string, number>();
  const words: string[] = [];
  const keys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    let k = index.get(v);
    if (k === undefined) {
      k = words.length;
      index.set(v, k);
      words.push(v);
    }
    keys[i] = k;
  }
  const [nullBitmap, nullCount] = bitmapOf(n, (i) => values[i] !== null && values[i] !== undefined);
  const dictionary = arrow.makeVector(utf8Data(words));
  return arrow.makeData({ type, length: n, nullCount, nullBitmap, data: keys, dictionary });
}

export function toRecordBatch(
  batch: ColumnBatch,
  types: ArrowTypes,
  hashes: Uint32Array,
): arrow.RecordBatch {
  const children: Record<string, arrow.Data> = {};
  for (const [name, type] of Object.entries(types)) {
    const col = batch.columns[name];
    if (col === undefined) throw new Error(`batch of ${batch.dataset} lacks column ${name}`);
    if (col.type !== 'string') children[name] = numberData(type, col.values, col.valid);
    else if (type instanceof arrow.Dictionary) children[name] = dictionaryData(type, col.values);
    else children[name] = utf8Data(col.values);
  }
  children[LINE_COLUMN] = arrow.makeData({
    type: new arrow.Uint32(),
    length: batch.length,
    data: batch.lines,
  });
  if (hashes.length !== 2 * batch.length) throw new Error('one hash per row expected');
  children[HASH_COLUMN] = arrow.makeData({
    type: new arrow.Int64(),
    length: batch.length,
    data: new BigInt64Array(hashes.buffer, hashes.byteOffset, batch.length),
  });
  return new arrow.RecordBatch(children);
}

const isValidAt = (d: arrow.Data, i: number): boolean => {
  const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
  const bit = d.offset + i;
  return bitmap === undefined || (((bitmap[bit >> 3] as number) >> (bit & 7)) & 1) === 1;
};

// One UTF-8 decode per chunk, then slices: for ASCII text (byte offsets = string offsets) this
// is several times faster than decoding value by value, which dominated reading.
function utf8Strings(
  d: arrow.Data<arrow.Utf8>,
  out: (string | null)[],
  shared: Map<string, string> | null = null,
): void {
  const offsets = d.valueOffsets;
  const start = offsets[0] as number;
  const bytes = d.values.subarray(start, offsets[d.length] as number);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  const ascii = text.length === bytes.length;
  const decoder = ascii ? undefined : new TextDecoder();
  // a value equal to the previous row's is the same string, not a copy: an export lists an
  // order's items together, so an item's order_id and user_id repeat row after row (at 3M items
  // ~4M strings fewer held by a group's rows)
  let previous: string | null = null;
  let pa = 0;
  let pb = 0;
  for (let i = 0; i < d.length; i++) {
    const a = (offsets[i] as number) - start;
    const b = (offsets[i + 1] as number) - start;
    if (!isValidAt(d, i)) {
      out.push(null);
      continue;
    }
    if (previous !== null && b - a === pb - pa && sameBytes(bytes, a, pa, b - a)) {
      out.push(previous);
      continue;
    }
    previous = decoder === undefined ? text.slice(a, b) : decoder.decode(bytes.subarray(a, b));
    if (shared !== null) {
      const first = shared.get(previous);
      if (first === undefined) shared.set(previous, previous);
      else previous = first;
    }
    pa = a;
    pb = b;
    out.push(previous);
  }
}

const sameBytes = (bytes: Uint8Array, a: number, b: number, n: number): boolean => {
  for (let k = 0; k < n; k++) if (bytes[a + k] !== bytes[b + k]) return false;
  return true;
};

/** shareValues: equal values become one string (a Map per batch; for columns of few values) */
function strings(vector: arrow.Vector, shareValues: boolean): (string | null)[] {
  const out: (string | null)[] = [];
  const shared = shareValues ? new Map<string, string>() : null;
  for (const d of vector.data) {
    if (!(d.type instanceof arrow.Dictionary)) {
      utf8Strings(d as arrow.Data<arrow.Utf8>, out, shared);
      continue;
    }
    const words: (string | null)[] = [];
    for (const w of (d.dictionary as arrow.Vector<arrow.Utf8>).data) utf8Strings(w, words);
    const keys = d.values as Int32Array;
    for (let i = 0; i < d.length; i++)
      out.push(isValidAt(d, i) ? (words[keys[i] as number] ?? null) : null);
  }
  return out;
}

function toColumn(type: ColumnType, vector: arrow.Vector, shareValues: boolean): Column {
  if (type === 'string') return { type, values: strings(vector, shareValues) };
  const n = vector.length;
  const values = new Float64Array(n);
  const valid = new Uint8Array(n);
  let row = 0;
  for (const d of vector.data) {
    const words = new Uint32Array(
      (d.values as BigInt64Array).buffer,
      (d.values as BigInt64Array).byteOffset,
      d.length * 2,
    );
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    for (let i = 0; i < d.length; i++, row++) {
      const bit = d.offset + i;
      if (bitmap === undefined || (((bitmap[bit >> 3] as number) >> (bit & 7)) & 1) === 1) {
        values[row] = ((words[2 * i + 1] as number) | 0) * TWO_32 + (words[2 * i] as number);
        valid[row] = 1;
      }
    }
  }
  return { type, values, valid };
}

export function fromRecordBatch(
  rb: arrow.RecordBatch,
  dataset: DatasetName,
  columns: readonly string[],
  /** string columns whose equal values are to be one string (StagingReadOptions.shared) */
  shared: readonly string[] = [],
): ColumnBatch {
  const out: Record<string, Column> = {};
  for (const c of SCHEMAS[dataset].columns) {
    if (!columns.includes(c.name)) continue;
    const vector = rb.getChild(c.name);
    if (vector === null) throw new Error(`staged ${dataset} file lacks column ${c.name}`);
    out[c.name] = toColumn(c.type, vector, shared.includes(c.name));
  }
  const lineVector = rb.getChild(LINE_COLUMN);
  const lines = new Uint32Array(rb.numRows);
  if (lineVector !== null) {
    let row = 0;
    for (const d of lineVector.data) {
      lines.set((d.values as Uint32Array).subarray(0, d.length), row);
      row += d.length;
    }
  }
  return { dataset, length: rb.numRows, columns: out, lines };
}

/** the hash column's words ([lo, hi] per row), copied out of wasm memory; null without it */
export function hashWordsOf(rb: arrow.RecordBatch): Uint32Array | null {
  const vector = rb.getChild(HASH_COLUMN);
  if (vector === null) return null;
  const words = new Uint32Array(2 * rb.numRows);
  let row = 0;
  for (const d of vector.data) {
    const v = d.values as BigInt64Array;
    words.set(new Uint32Array(v.buffer, v.byteOffset, 2 * d.length), 2 * row);
    row += d.length;
  }
  return words;
}
