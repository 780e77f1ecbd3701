// Row hashes bound as one blob a statement (ChunkedHashInsert) land as the rows' own 8 bytes, in
// row order, whatever the row count (full statements and the rows after them).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../../src/adapters/sqlite/sqlite-database.js';
import {
  ChunkedHashInsert,
  hashBytes,
} from '../../../src/adapters/sqlite/sqlite-reference-staging.js';
import { hexOfWords } from '../../../src/domain/hex-words.js';

const word = fc.integer({ min: 0, max: 0xffffffff });

describe('hashBytes', () => {
  it('spells each row as hexOfWords(high, low) does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(word, word), { maxLength: 40 }), (rows) => {
        const words = Uint32Array.from(rows.flatMap(([lo, hi]) => [lo, hi]));
        const bytes = hashBytes(words);
        expect(bytes).toHaveLength(8 * rows.length);
        rows.forEach(([lo, hi], r) =>
          expect(bytes.subarray(8 * r, 8 * r + 8).toString('hex')).toBe(hexOfWords(hi, lo)),
        );
      }),
    );
  });
});

describe('ChunkedHashInsert', () => {
  it('inserts every row in order, each with its own 8 bytes', () => {
    const db = openSqlite(':memory:');
    db.exec('CREATE TEMP TABLE t (id TEXT NOT NULL, n REAL, hash NOT NULL)');
    const insert = new ChunkedHashInsert(db, 't', 2);
    const read = db.prepare<[], { id: string; n: number | null; h: string; type: string }>(
      'SELECT id, n, lower(hex(hash)) AS h, typeof(hash) AS type FROM t ORDER BY rowid',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), word, word), { maxLength: 100 }), (rows) => {
        db.exec('DELETE FROM t');
        const words = Uint32Array.from(rows.flatMap(([, lo, hi]) => [lo, hi]));
        insert.run(rows.length, hashBytes(words), (i, out, at) => {
          out[at] = rows[i]?.[0] ?? '';
          out[at + 1] = i % 3 === 0 ? null : i;
        });
        expect(read.all()).toEqual(
          rows.map(([id, lo, hi], i) => ({
            id,
            n: i % 3 === 0 ? null : i,
            h: hexOfWords(hi, lo),
            type: 'blob',
          })),
        );
      }),
      { numRuns: 100 },
    );
    db.close();
  });
});
