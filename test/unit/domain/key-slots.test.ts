// KeySlots must number keys exactly as a Map from key (or joined pair) to its insertion index
// would, find only what was added, and keep doing so across growth and when sized up front.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySlots } from '../../../src/domain/key-slots.js';

// few distinct values, so repeats are common; pairs that join alike ('ab'+'c' vs 'a'+'bc');
// numbers (tagged by value) next to look-alikes that are not canonical numbers (tagged by hash)
const part = fc.oneof(
  fc.constantFrom('', 'a', 'b', 'ab', 'c', 'bc', '1', '10', '😀', '\u0000'),
  fc.constantFrom('0', '00', '01', '-1', '+1', ' 1', '1 ', '1.0', '999999999', '1000000000'),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.nat({ max: 3000 }).map(String),
  fc.nat().map(String),
);

/** numbers that crowd the table's positions when placed by value (multiples of a power of 2,
 *  runs of consecutive ids): the table must fall back to hashing and stay exact */
const crowded = fc.oneof(
  fc.tuple(fc.nat({ max: 5000 }), fc.integer({ min: 8, max: 24 })).map(([k, s]) => k * 2 ** s),
  fc.integer({ min: 0, max: 4000 }),
  fc.integer({ min: 0, max: 999_999_999 }),
);

describe('KeySlots', () => {
  it('gives each key or pair the slot a Map would (insertion order), ~slot when new', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(part, part, fc.boolean()), { maxLength: 3000 }),
        fc.constantFrom(0, 5000),
        (ops, expected) => {
          const slots = new KeySlots(expected, true);
          const model = new Map<string, number>();
          for (const [a, b, insert] of ops) {
            const joined = JSON.stringify([a, b]);
            const known = model.get(joined);
            if (!insert) {
              expect(slots.find(a, b)).toBe(known ?? -1);
              continue;
            }
            if (known === undefined) {
              expect(slots.slotOf(a, b)).toBe(~model.size);
              model.set(joined, model.size);
            } else {
              expect(slots.slotOf(a, b)).toBe(known);
            }
            expect(slots.size).toBe(model.size);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('numbers crowded numeric keys and pairs like a Map, placed by value or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(crowded, crowded, fc.boolean()), { maxLength: 4000 }),
        fc.constantFrom(0, 6000),
        (ops, expected) => {
          const keys = new KeySlots(expected);
          const pairs = new KeySlots(expected, true);
          const keyModel = new Map<string, number>();
          const pairModel = new Map<string, number>();
          for (const [a, b, insert] of ops) {
            const [ka, kb] = [String(a), String(b)];
            const joined = `${ka}/${kb}`;
            if (!insert) {
              expect(keys.find(ka)).toBe(keyModel.get(ka) ?? -1);
              expect(pairs.find(ka, kb)).toBe(pairModel.get(joined) ?? -1);
              continue;
            }
            const key = keyModel.get(ka);
            expect(keys.slotOf(ka)).toBe(key ?? ~keyModel.size);
            if (key === undefined) keyModel.set(ka, keyModel.size);
            const pair = pairModel.get(joined);
            expect(pairs.slotOf(ka, kb)).toBe(pair ?? ~pairModel.size);
            if (pair === undefined) pairModel.set(joined, pairModel.size);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps 200k consecutive ids apart, and strings that follow them', () => {
    const slots = new KeySlots();
    for (let i = 1; i <= 200_000; i++) {
      if (slots.slotOf(String(i)) !== ~(i - 1)) throw new Error(`${i} was not new`);
    }
    expect(slots.find('200000')).toBe(199_999);
    expect(slots.find('0200000')).toBe(-1);
    expect(slots.find('0')).toBe(-1);
    expect(slots.slotOf('x1')).toBe(~200_000);
    expect(slots.slotOf('1')).toBe(0);
    expect(slots.find('x1')).toBe(200_000);
  });

  it('keeps 200k distinct keys apart across many growths', () => {
    const slots = new KeySlots();
    for (let i = 0; i < 200_000; i++) {
      if (slots.slotOf(`k${i}`) !== ~i) throw new Error(`k${i} was not new`);
    }
    expect(slots.size).toBe(200_000);
    expect(slots.find('k199999')).toBe(199_999);
    expect(slots.find('k0')).toBe(0);
    expect(slots.find('k200000')).toBe(-1);
    expect(slots.slotOf('k77', '')).toBe(77);
    // a key-only table keeps no second parts, so it must not be handed any
    expect(() => slots.slotOf('k77', 'x')).toThrow(/pair/);
  });
});
