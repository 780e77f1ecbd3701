// Per-row content hashes of a typed batch: the "version" of a row. Identical rows hash equal
// whatever file or line they came from; any changed cell changes the hash. Used to tell an
// identical re-delivery from a corrected one, and to find conflicting versions in a group.
//
// The hash is Hash64 over `dataset|` then each schema column as Hash64.field / Hash64.num would
// feed it. It runs over every landed row and again over every staged row a group loads, so the
// code below does the same mixing inline: column by column, each row's two lanes kept in the
// output's buffer between columns, the `dataset|` prefix hashed once per batch, a length fed as
// its digits without making a string, and the digest is one fromCharCode. Stored hashes must never change: row-hashes-fast.test.ts compares this
// with the original (test/unit/domain/row-hashes-oracle.ts) over random batches.
import type { ColumnBatch } from './columns.js';
import { SCHEMAS } from './datasets.js';
import { Hash64, MUL1, MUL2, floatWords } from './fingerprint.js';
import { hexOfRows } from './hex-words.js';

const NULL = 0x01;
const TEXT = 0x02;
const NUMBER = 0x03;
const COLON = 0x3a;
const ZERO = 0x30;

/** each row's hash as text: the 16 hex digits of rowHashWords' words (hi first) */
export const rowHashes = (batch: ColumnBatch): string[] =>
  hexOfRows(rowHashWords(batch), batch.length);

/**
 * Each row's hash as two 32-bit words, [lo, hi] per row: the little-endian layout of one uint64
 * per row, so the array's buffer is a BigUint64Array of the hashes (the staged files' hash
 * column). No string per row: the read path compares hashes as numbers.
 */
export const rowHashWords = (batch: ColumnBatch): Uint32Array => {
  const n = batch.length;
  const out = new Uint32Array(2 * n);
  // the lanes of every row, [h1, h2] per row, in the output's own buffer until the finish
  const lanes = new Int32Array(out.buffer);
  const [p1, p2] = new Hash64().text(batch.dataset).code(0x7c).lanes();
  for (let r = 0; r < n; r++) {
    lanes[2 * r] = p1;
    lanes[2 * r + 1] = p2;
  }
  // Column by column: each loop below sees one kind of column, where a row-by-row loop read
  // `type`, `values` and `valid` of a different column shape at every cell (megamorphic loads).
  // Each row's lanes are fed the same units in the same order as row by row.
  for (const spec of SCHEMAS[batch.dataset].columns) {
    const c = batch.columns[spec.name];
    // a column missing from the batch hashes as null in every row
    if (c === undefined) mixNulls(lanes, n);
    else if (c.type === 'string') mixStrings(lanes, c.values, n);
    else mixNumbers(lanes, c.values, c.valid, n);
  }
  for (let r = 0; r < n; r++) {
    let h1 = lanes[2 * r] as number;
    let h2 = lanes[2 * r + 1] as number;
    // hexDigest's finish, kept as words: its text is hex(h2) then hex(h1)
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    out[2 * r] = h1;
    out[2 * r + 1] = h2;
  }
  return out;
};

function mixNulls(lanes: Int32Array, n: number): void {
  for (let r = 0; r < n; r++) {
    lanes[2 * r] = Math.imul((lanes[2 * r] as number) ^ NULL, MUL1);
    lanes[2 * r + 1] = Math.imul((lanes[2 * r + 1] as number) ^ NULL, MUL2);
  }
}

function mixStrings(lanes: Int32Array, values: readonly (string | null)[], n: number): void {
  for (let r = 0; r < n; r++) {
    let h1 = lanes[2 * r] as number;
    let h2 = lanes[2 * r + 1] as number;
    const v = values[r];
    if (v === null || v === undefined) {
      h1 = Math.imul(h1 ^ NULL, MUL1);
      h2 = Math.imul(h2 ^ NULL, MUL2);
    } else {
      h1 = Math.imul(h1 ^ TEXT, MUL1);
      h2 = Math.imul(h2 ^ TEXT, MUL2);
      const len = v.length;
      if (len < 10) {
        h1 = Math.imul(h1 ^ (ZERO + len), MUL1);
        h2 = Math.imul(h2 ^ (ZERO + len), MUL2);
      } else {
        const digits = String(len);
        for (let i = 0; i < digits.length; i++) {
          const d = digits.charCodeAt(i);
          h1 = Math.imul(h1 ^ d, MUL1);
          h2 = Math.imul(h2 ^ d, MUL2);
        }
      }
      h1 = Math.imul(h1 ^ COLON, MUL1);
      h2 = Math.imul(h2 ^ COLON, MUL2);
      for (let i = 0; i < len; i++) {
        const ch = v.charCodeAt(i);
        h1 = Math.imul(h1 ^ ch, MUL1);
        h2 = Math.imul(h2 ^ ch, MUL2);
      }
    }
    lanes[2 * r] = h1;
    lanes[2 * r + 1] = h2;
  }
}

function mixNumbers(lanes: Int32Array, values: Float64Array, valid: Uint8Array, n: number): void {
  for (let r = 0; r < n; r++) {
    let h1 = lanes[2 * r] as number;
    let h2 = lanes[2 * r + 1] as number;
    if (valid[r] === 1) {
      const w = floatWords(values[r] as number);
      const lo = w[0] as number;
      const hi = w[1] as number;
      h1 = Math.imul(h1 ^ NUMBER, MUL1);
      h2 = Math.imul(h2 ^ NUMBER, MUL2);
      h1 = Math.imul(h1 ^ (lo & 0xffff), MUL1);
      h2 = Math.imul(h2 ^ (lo & 0xffff), MUL2);
      h1 = Math.imul(h1 ^ (lo >>> 16), MUL1);
      h2 = Math.imul(h2 ^ (lo >>> 16), MUL2);
      h1 = Math.imul(h1 ^ (hi & 0xffff), MUL1);
      h2 = Math.imul(h2 ^ (hi & 0xffff), MUL2);
      h1 = Math.imul(h1 ^ (hi >>> 16), MUL1);
      h2 = Math.imul(h2 ^ (hi >>> 16), MUL2);
    } else {
      h1 = Math.imul(h1 ^ NULL, MUL1);
      h2 = Math.imul(h2 ^ NULL, MUL2);
    }
    lanes[2 * r] = h1;
    lanes[2 * r + 1] = h2;
  }
}

/** The hash of one row, for callers that look at a single row. */
export const rowHash = (batch: ColumnBatch, row: number): string => {
  const one = rowHashes(sliceRow(batch, row));
  return one[0] as string;
};

const sliceRow = (batch: ColumnBatch, row: number): ColumnBatch => {
  const columns: Record<string, ColumnBatch['columns'][string]> = {};
  for (const [name, c] of Object.entries(batch.columns)) {
    columns[name] =
      c.type === 'string'
        ? { type: 'string', values: [c.values[row] ?? null] }
        : {
            type: c.type,
            values: c.values.subarray(row, row + 1),
            valid: c.valid.subarray(row, row + 1),
          };
  }
  return { dataset: batch.dataset, length: 1, columns, lines: batch.lines.subarray(row, row + 1) };
};
