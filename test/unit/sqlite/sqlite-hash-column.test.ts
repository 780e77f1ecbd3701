// storedHash's cheap test ("16 characters, no ASCII capital, unhex reads them") against the
// plain one it replaced (16 characters, all of them 0-9 or a-f), on strings made to sit near the
// boundary: 16 characters or about, hex digits of both cases, other ASCII and non-ASCII.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashText, storedHash } from '../../../src/adapters/sqlite/sqlite-hash-column.js';

/** the form storedHash had until the second round of issue 10: the specification */
const plainStoredHash = (column: string): string =>
  `CASE WHEN length(${column}) = 16 AND ${column} NOT GLOB '*[^0-9a-f]*'
     THEN unhex(${column}) ELSE ${column} END`;

// no U+0000: SQLite's length() and GLOB stop at a NUL and unhex() does not, and no hash (16 hex
// digits from rowHashes, or a test's name) holds one
const char = fc.oneof(
  fc.constantFrom(...'0123456789abcdefABCDEFgxz-G'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const text = fc
  .array(char, { minLength: 0, maxLength: 18 })
  .map((cs) => cs.join(''))
  .filter((s) => !s.includes('\0'));
const hex16 = fc.string({
  unit: fc.constantFrom(...'0123456789abcdef'),
  minLength: 16,
  maxLength: 16,
});
const nearlyHex = fc
  .tuple(hex16, fc.nat(15), char)
  .map(([h, at, c]) => h.slice(0, at) + c + h.slice(at + 1))
  .filter((s) => !s.includes('\0'));

describe('storedHash', () => {
  const db = new Database(':memory:');
  const both = db.prepare<[string], { stored: unknown; plain: unknown; text: unknown }>(
    `SELECT ${storedHash('h')} AS stored, ${plainStoredHash('h')} AS plain,
       ${hashText(storedHash('h'))} AS text FROM (SELECT ? AS h)`,
  );

  it('stores what the plain test stores, and gives the same text back', () => {
    fc.assert(
      fc.property(fc.oneof(text, nearlyHex, hex16), (h) => {
        const row = both.get(h);
        expect(row?.stored).toEqual(row?.plain);
        expect(row?.text).toBe(h);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps 16 lowercase hex digits as 8 bytes and anything else as text', () => {
    expect(both.get('00ff10aa99bb77cc')?.stored).toEqual(Buffer.from('00ff10aa99bb77cc', 'hex'));
    expect(both.get('00FF10AA99BB77CC')?.stored).toBe('00FF10AA99BB77CC');
    expect(both.get('00ff10aa99bb77cg')?.stored).toBe('00ff10aa99bb77cg');
    expect(both.get('h-i1')?.stored).toBe('h-i1');
  });
});
