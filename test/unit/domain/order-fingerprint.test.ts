// The words form of an order's fingerprint is the decider's fingerprint of the spelled hashes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/domain/fingerprint.js';
import { anyCaseHexWord, hexOfWords, hexWord } from '../../../src/domain/hex-words.js';
import { orderFingerprintOfWords } from '../../../src/domain/order-fingerprint.js';

const word = fc.integer({ min: 0, max: 0xffffffff });
// few distinct words too, so equal hi words (and equal hashes) occur
const words = fc.array(fc.tuple(fc.oneof(word, fc.constantFrom(0, 1, 0xffffffff)), word), {
  maxLength: 12,
});

describe('orderFingerprintOfWords', () => {
  it('is fingerprint([order hash, ...hexOfWords of the items, sorted])', () => {
    fc.assert(
      fc.property(fc.string(), words, (orderHash, items) => {
        const hi = Uint32Array.from(items, ([h]) => h);
        const lo = Uint32Array.from(items, ([, l]) => l);
        const spelled = items.map(([h, l]) => hexOfWords(h, l)).sort();
        expect(orderFingerprintOfWords(orderHash, hi, lo, items.length)).toBe(
          fingerprint([orderHash, ...spelled]),
        );
      }),
      { numRuns: 1000 },
    );
  });
});

describe('anyCaseHexWord', () => {
  it('reads hex digits of either case as hexWord reads lower case, and refuses the rest', () => {
    fc.assert(
      fc.property(
        word,
        fc.boolean(),
        fc.string({
          minLength: 8,
          maxLength: 8,
          unit: fc.constantFrom(
            '0',
            '9',
            'a',
            'f',
            'A',
            'F',
            'g',
            'G',
            '\u0010',
            '\u0019',
            '\u0041',
            ':',
            '`',
            '@',
          ),
        }),
        (w, upper, s) => {
          const hex = hexOfWords(w, 0).slice(0, 8);
          expect(anyCaseHexWord(upper ? hex.toUpperCase() : hex, 0)).toBe(w);
          expect(anyCaseHexWord(s, 0)).toBe(
            hexWord(s.toLowerCase(), 0) >= 0 && /^[0-9a-fA-F]{8}$/.test(s)
              ? hexWord(s.toLowerCase(), 0)
              : -1,
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
