// The facts' ids (schema step 13): storedId, the writer's rule, stores the decimal of an integer
// as that INTEGER and any other id as its text; storedIdSql, the same rule in SQL for the facts
// an older state converts, gives the same value for every string; and the stored value gives the
// id back, so two ids never share one (no '7' for '07').
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storedIdSql } from '../../../src/adapters/sqlite/sqlite-database.js';
import { storedId } from '../../../src/adapters/sqlite/sqlite-fact-store.js';

const char = fc.oneof(
  fc.constantFrom(...'0123456789-+. eE'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const text = fc.array(char, { maxLength: 18 }).map((cs) => cs.join(''));
// digits about the 15-character limit, with a sign or leading zeros now and then
const digits = fc
  .tuple(
    fc.constantFrom('', '-', '+', '0', '-0', ' '),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 17 }),
  )
  .map(([sign, ds]) => sign + ds);
const decimal = fc
  .oneof(fc.integer(), fc.maxSafeInteger(), fc.constant(999_999_999_999_999))
  .map((n) => String(n));

const SAMPLES: [string, string | number][] = [
  ['0', 0],
  ['7', 7],
  ['-7', -7],
  ['123456789012345', 123_456_789_012_345],
  ['-12345678901234', -12_345_678_901_234],
  ['1234567890123456', '1234567890123456'],
  ['007', '007'],
  ['-0', '-0'],
  ['-', '-'],
  ['', ''],
  ['+7', '+7'],
  [' 7', ' 7'],
  ['7 ', '7 '],
  ['7.0', '7.0'],
  ['1e3', '1e3'],
  ['o1', 'o1'],
  ['٣', '٣'],
];

describe('storedId', () => {
  const db = new Database(':memory:');
  const sql = db.prepare<[string], { stored: string | number }>(
    `SELECT ${storedIdSql('id')} AS stored FROM (SELECT ? AS id)`,
  );

  it('stores the decimal of an integer (at most 15 characters) as the number, else the text', () => {
    for (const [id, stored] of SAMPLES) {
      expect(storedId(id)).toBe(stored);
      expect(sql.get(id)?.stored).toBe(stored);
    }
  });

  it('equals the SQL of the schema step, and gives the id back, for any string', () => {
    fc.assert(
      fc.property(fc.oneof(text, digits, decimal), (id) => {
        const stored = storedId(id);
        expect(sql.get(id)?.stored).toEqual(stored);
        expect(typeof stored === 'number' ? String(stored) : stored).toBe(id);
      }),
      { numRuns: 3000 },
    );
  });
});
