// The packed orders are type-checked by a plain loop before io-ts (which allocates a context per
// element); io-ts' own codec is the oracle: on any JSON-like value, valid or not, both must
// accept the same values, and return the same value when they do.
import { isRight } from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PackedCompletionsC,
  PackedOrdersStrictC,
} from '../../../src/domain/packed-completions.codec.js';

const loc = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.string()) },
  fc.tuple(fc.string(), fc.integer()),
  fc.tuple(fc.integer()),
  fc.tuple(fc.integer(), fc.string(), fc.string()),
  fc.constant(null),
);
const locs = fc.oneof(fc.array(loc, { maxLength: 3 }), fc.constant({}), fc.string());
const packedOrder = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fc.string(), fc.string(), fc.integer(), loc, fc.tuple(locs, locs)),
  },
  fc.tuple(fc.string(), fc.integer(), fc.integer(), loc, fc.tuple(locs, locs)),
  fc.tuple(fc.string(), fc.string(), fc.integer(), loc, fc.tuple(locs)),
  fc.tuple(fc.string(), fc.string(), fc.integer(), loc, fc.tuple(locs, locs), fc.string()),
  fc.anything(),
);
const orders = fc.oneof(fc.array(packedOrder, { maxLength: 4 }), fc.anything());

describe('packed orders, fast check', () => {
  it('accepts exactly what io-ts accepts, and returns the same value', () => {
    let accepted = 0;
    fc.assert(
      fc.property(orders, (value) => {
        const fast = PackedCompletionsC.decode({ files: [], orders: value });
        const strict = PackedOrdersStrictC.decode(value);
        expect(isRight(fast)).toBe(isRight(strict));
        if (isRight(strict)) accepted += 1;
        if (isRight(fast) && isRight(strict)) expect(fast.right.orders).toEqual(strict.right);
      }),
      { numRuns: 2000 },
    );
    // the property must have seen valid values too, not only rejections
    expect(accepted).toBeGreaterThan(100);
  });

  it('accepts valid packed orders (the arbitrary does reach the fast path)', () => {
    const valid = [['o1', 'f', 1, [0, 'ab'], [[[0, 'cd']], []]]];
    expect(isRight(PackedCompletionsC.decode({ files: [['k', 's']], orders: valid }))).toBe(true);
  });
});
