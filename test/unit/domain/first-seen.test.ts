// FirstSeen must answer exactly what a Map from key (or joined pair) to first line answers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FirstSeen } from '../../../src/domain/validation/first-seen.js';

// few distinct values, so repeats are common; pairs that join alike ('ab'+'c' vs 'a'+'bc')
// and numbers (tagged by value) next to look-alikes that are not canonical numbers
const part = fc.oneof(
  fc.constantFrom('', 'a', 'b', 'ab', 'c', 'bc', '1', '10', '😀', '\u0000'),
  fc.constantFrom('0', '00', '01', '-1', '1.0', '999999999', '1000000000'),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.nat({ max: 40 }).map(String),
);

describe('FirstSeen', () => {
  it('gives the first line of each key or pair, like a Map, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(part, part), { maxLength: 3000 }), (pairs) => {
        const keys = new FirstSeen();
        const both = new FirstSeen(0, true);
        const keyMap = new Map<string, number>();
        const pairMap = new Map<string, number>();
        pairs.forEach(([a, b], line) => {
          expect(keys.firstLine(a, line)).toBe(keyMap.get(a) ?? -1);
          if (!keyMap.has(a)) keyMap.set(a, line);
          const joined = JSON.stringify([a, b]);
          expect(both.firstLine(a, line, b)).toBe(pairMap.get(joined) ?? -1);
          if (!pairMap.has(joined)) pairMap.set(joined, line);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('keeps an order with many products exact (its pairs move to the pair table)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('1', '2', 'o'), part), { maxLength: 2000 }),
        (pairs) => {
          const both = new FirstSeen(0, true);
          const model = new Map<string, number>();
          pairs.forEach(([a, b], line) => {
            const joined = JSON.stringify([a, b]);
            expect(both.firstLine(a, line, b)).toBe(model.get(joined) ?? -1);
            if (!model.has(joined)) model.set(joined, line);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps 100k distinct keys apart', () => {
    const seen = new FirstSeen();
    for (let i = 0; i < 100_000; i++) expect(seen.firstLine(String(i), i + 2)).toBe(-1);
    expect(seen.firstLine('99999', 5)).toBe(100_001);
    expect(seen.firstLine('0', 5)).toBe(2);
  });
});
