// A landing's answer stored in parts: the JSON cut into slices (never inside a surrogate pair),
// each brotli'd on its own, reads back as the same columns; the slices join to the text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IN_PARTS,
  completionsRecordParts,
  storedCompletions,
} from '../../../src/adapters/sqlite/sqlite-landing-record.js';
import { textSlices, textSlicesOfParts } from '../../../src/domain/text-slices.js';
import { completionColumnsOf } from '../../../src/domain/completion-columns.js';
import { completedOrder } from '../domain/completion-arbitraries.js';

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

describe('textSlices', () => {
  it('joins back to the text, each slice at most `units` long, no pair cut', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'é', '\u{1F600}', '\uD800', '\uDC00') }),
        fc.integer({ min: 1, max: 9 }),
        (text, units) => {
          const slices = [...textSlices(text, units)];
          expect(slices.join('')).toBe(text);
          for (const [i, s] of slices.entries()) {
            expect(s.length).toBeGreaterThan(0);
            expect(s.length).toBeLessThanOrEqual(units);
            const next = slices[i + 1];
            // a well-formed pair stays in one slice (a lone surrogate may end a slice)
            if (next !== undefined && units > 1)
              expect(isHigh(s.charCodeAt(s.length - 1)) && isLow(next.charCodeAt(0))).toBe(false);
          }
          // each slice encodes on its own to the bytes of the whole (pairs intact), where the
          // whole is well-formed UTF-16
          if (units > 1 && Buffer.from(text).toString() === text)
            expect(Buffer.concat(slices.map((s) => Buffer.from(s)))).toEqual(Buffer.from(text));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('textSlicesOfParts', () => {
  it('gives the slices textSlices gives of the joined parts (the stored record is unchanged)', () => {
    const unit = fc.constantFrom('a', 'é', '\u{1F600}', '\uD800', '\uDC00');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (parts, units) => {
          expect([...textSlicesOfParts(parts, units)]).toEqual([
            ...textSlices(parts.join(''), units),
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('a landing record in parts', () => {
  it('reads back as the columns it was made from, whatever the part size', () => {
    fc.assert(
      fc.property(
        fc.array(completedOrder(true), { maxLength: 6 }),
        fc.integer({ min: 1, max: 400 }),
        (orders, units) => {
          const columns = completionColumnsOf(orders);
          const parts = [...completionsRecordParts(columns, units)];
          expect(storedCompletions(IN_PARTS, () => parts)).toEqual(columns);
        },
      ),
      { numRuns: 200 },
    );
  });
});
