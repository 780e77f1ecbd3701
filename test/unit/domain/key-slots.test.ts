// KeySlots must number keys exactly as a Map from key (or joined pair) to its insertion index
// would, find only what was added, and keep doing so across growth and when sized up front.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySlots } from '../../../src/domain/validation/key-slots.js';

// few distinct values, so repeats are common; pairs that join alike ('ab'+'c' vs 'a'+'bc')
const part = fc.oneof(
  fc.constantFrom('', 'a', 'b', 'ab', 'c', 'bc', '1', '10', '😀', '\u0000'),
  fc.string({ unit: 'binary', maxLength: 4 }),
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
