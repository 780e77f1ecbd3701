// The state's id keys (sqlite-id-key.ts): idKey, the writers' rule, keys a canonical decimal
// integer as that INTEGER and any other id as its text; idKeySql, the same rule in SQL for the
// ids an older state converts (the facts' and the ri_ tables' schema steps), gives the same value
// for every string; and the key gives the id back, so two ids never share one (no '7' for '07').
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idKey, idKeySql, idText } from '../../../src/adapters/sqlite/sqlite-id-key.js';

const char = fc.oneof(
  fc.constantFrom(...'0123456789-+. eE'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const text = fc.array(char, { maxLength: 18 }).map((cs) => cs.join(''));
// digits about the 16-character limit, with a sign or leading zeros now and then
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
  ['-7', '-7'],
  ['123456789012345', 123_456_789_012_345],
  ['9007199254740991', 9_007_199_254_740_991],
  ['9007199254740992', '9007199254740992'],
  ['12345678901234567', '12345678901234567'],
  ['a\u0000', 'a\u0000'],
  ['7\u0000', '7\u0000'],
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

describe('idKey', () => {
  const db = new Database(':memory:');
  const sql = db.prepare<[string], { stored: string | number }>(
    `SELECT ${idKeySql('id')} AS stored FROM (SELECT ? AS id)`,
  );

  it('keys a canonical decimal integer below 2^53 as the number, else the text', () => {
    for (const [id, stored] of SAMPLES) {
      expect(idKey(id)).toBe(stored);
      expect(sql.get(id)?.stored).toBe(stored);
    }
  });

  it('equals the SQL of the schema step, and gives the id back, for any string', () => {
    fc.assert(
      fc.property(fc.oneof(text, digits, decimal), (id) => {
        const stored = idKey(id);
        expect(sql.get(id)?.stored).toEqual(stored);
        expect(idText(stored)).toBe(id);
      }),
      { numRuns: 3000 },
    );
  });
});
