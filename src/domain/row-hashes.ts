// Per-row content hashes of a typed batch: the "version" of a row. Identical rows hash equal
// whatever file or line they came from; any changed cell changes the hash. Used to tell an
// identical re-delivery from a corrected one, and to find conflicting versions in a group.
//
// The hash is Hash64 over `dataset|` then each schema column as Hash64.field / Hash64.num would
// feed it. It runs over every landed row and again over every staged row a group loads, so the
// loop below does the same mixing inline: the lanes stay in locals, the `dataset|` prefix is
// hashed once per batch, a length is fed as its digits without making a string, and the digest
// is one fromCharCode. Stored hashes must never change: row-hashes-fast.test.ts compares this
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
  const specs = SCHEMAS[batch.dataset].columns;
  const cols = specs.map((s) => batch.columns[s.name]);
  const out = new Uint32Array(2 * batch.length);
  const [p1, p2] = new Hash64().text(batch.dataset).code(0x7c).lanes();
  for (let r = 0; r < batch.length; r++) {
    let h1 = p1;
    let h2 = p2;
    for (let k = 0; k < cols.length; k++) {
      const c = cols[k];
      // a column missing from the batch hashes as null in every row
      if (c === undefined) {
        h1 = Math.imul(h1 ^ NULL, MUL1);
        h2 = Math.imul(h2 ^ NULL, MUL2);
      } else if (c.type === 'string') {
        const v = c.values[r];
        if (v === null || v === undefined) {
          h1 = Math.imul(h1 ^ NULL, MUL1);
          h2 = Math.imul(h2 ^ NULL, MUL2);
          continue;
        }
        h1 = Math.imul(h1 ^ TEXT, MUL1);
        h2 = Math.imul(h2 ^ TEXT, MUL2);
        const n = v.length;
        if (n < 10) {
          h1 = Math.imul(h1 ^ (ZERO + n), MUL1);
          h2 = Math.imul(h2 ^ (ZERO + n), MUL2);
        } else {
          const digits = String(n);
          for (let i = 0; i < digits.length; i++) {
            const d = digits.charCodeAt(i);
            h1 = Math.imul(h1 ^ d, MUL1);
            h2 = Math.imul(h2 ^ d, MUL2);
          }
        }
        h1 = Math.imul(h1 ^ COLON, MUL1);
        h2 = Math.imul(h2 ^ COLON, MUL2);
        for (let i = 0; i < n; i++) {
          const ch = v.charCodeAt(i);
          h1 = Math.imul(h1 ^ ch, MUL1);
          h2 = Math.imul(h2 ^ ch, MUL2);
        }
      } else if (c.valid[r] === 1) {
        const w = floatWords(c.values[r] as number);
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
    }
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
