import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastVersions } from '../../../src/domain/kpi/last-versions.js';

/** 32-bit FNV-1a of the UTF-16 units (the hash an earlier version sorted by) */
const hash32 = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

/** the specification: a Map from key to its first row; that row takes the last row's values */
const reference = (keys: readonly string[]): Int32Array | null => {
  const first = new Map<string, number>();
  const source = Int32Array.from(keys, (_, i) => i);
  let repeated = false;
  keys.forEach((key, row) => {
    const at = first.get(key);
    if (at === undefined) return void first.set(key, row);
    repeated = true;
    source[at] = row;
    source[row] = -1;
  });
  return repeated ? source : null;
};

describe('lastVersions', () => {
  it('equals the Map reference for any keys', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 2, unit: 'binary' }), { maxLength: 200 }),
        (keys) => {
          expect(lastVersions(keys, keys.length)).toEqual(reference(keys));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('equals the Map reference for shop-like ids: numbers, leading zeros, signs, other text', () => {
    const id = fc.oneof(
      fc.nat({ max: 60 }).map(String),
      fc.nat({ max: 3_000_000_000 }).map(String),
      fc.nat({ max: 60 }).map((n) => `0${n}`),
      fc.nat({ max: 60 }).map((n) => `-${n}`),
      fc.nat({ max: 60 }).map((n) => `i${n}`),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 300 }), (keys) => {
        expect(lastVersions(keys, keys.length)).toEqual(reference(keys));
      }),
      { numRuns: 500 },
    );
  });

  it('tells distinct keys apart where their hashes meet', () => {
    // two ids with the same 32-bit FNV-1a hash (found by a search), among others
    const [a, b] = ['o10eeob8', 'o1cnjnqg'];
    expect(hash32(a)).toBe(hash32(b));
    expect(lastVersions(['x', a, 'y', b], 4)).toBeNull();
    const keys = [a, 'x', b, a, b, 'x'];
    expect(lastVersions(keys, keys.length)).toEqual(Int32Array.from([3, 5, 4, -1, -1, -1]));
  });

  it('keeps every row of 200,000 numbered ids and finds the repeated ones', () => {
    const keys = Array.from({ length: 200_000 }, (_, i) => String(i + 1));
    expect(lastVersions(keys, keys.length)).toBeNull();
    const again = [...keys, '7', '200000', '200001', '7'];
    const source = lastVersions(again, again.length);
    expect(source).toEqual(reference(again));
    expect(source?.[6]).toBe(200_003);
  });

  it('keeps every row of 300,000 distinct keys and finds the repeated ones', () => {
    const keys = Array.from({ length: 300_000 }, (_, i) => `item-${i}`);
    expect(lastVersions(keys, keys.length)).toBeNull();
    const again = [...keys, 'item-7', 'item-299999'];
    const source = lastVersions(again, again.length);
    expect(source).toEqual(reference(again));
    expect(source?.[7]).toBe(300_000);
  });
});
