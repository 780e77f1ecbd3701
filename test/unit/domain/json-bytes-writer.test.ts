// JsonBytesWriter and jsonArrayBytes write JSON values straight into UTF-8 bytes: they must give
// exactly the bytes of JSON.stringify's text (TextEncoder over it), whatever the values (lone
// surrogates, escapes, non-integers, -0, NaN, numbers past 2^53), since the group manifests and
// the group ids are made from them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JsonBytesWriter, jsonArrayBytes } from '../../../src/domain/json-bytes-writer.js';

const utf8 = (text: string): Buffer => Buffer.from(new TextEncoder().encode(text));
const bytesOf = (parts: Iterable<Uint8Array>): Buffer => Buffer.concat([...parts]);

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\u007f', '\u0000', '\ud83d', 'é') }),
);
const anyNumber = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
  fc.double(),
  fc.constantFrom(-0, 0, 2 ** 53, -(2 ** 53), 1e21, 123456789012345680000, 0.1, Number.NaN),
  // where the writer changes method: 2^31, and the 10^9 split above it
  fc.constantFrom(2 ** 31 - 1, 2 ** 31, 1e9 - 1, 1e9, 1e9 + 1, 999_999_999_999, 1e12, 2 ** 53 - 1),
  fc
    .integer({ min: 1, max: 9_007_199 })
    .chain((hi) => fc.integer({ min: 0, max: 999_999_999 }).map((lo) => hi * 1e9 + lo)),
);
const anyEntry = fc.oneof(anyString, anyNumber, fc.constant(null), fc.boolean());

describe('jsonArrayBytes', () => {
  it('gives the UTF-8 of JSON.stringify of the array', () => {
    fc.assert(
      fc.property(fc.array(anyEntry, { maxLength: 40 }), (a) => {
        expect(bytesOf(jsonArrayBytes(a)).equals(utf8(JSON.stringify(a)))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('an undefined entry is null, as in JSON.stringify', () => {
    const a = [1, undefined, 'x'];
    expect(bytesOf(jsonArrayBytes(a)).toString()).toBe(JSON.stringify(a));
  });

  it('an array of more than a part (~1 MB) in several parts joins to the same bytes', () => {
    const a = Array.from({ length: 200_000 }, (_, i) =>
      i % 3 === 0 ? `id-${i}\u{1f600}` : i % 3 === 1 ? 1_741_034_417_000 + i : null,
    );
    const parts = [...jsonArrayBytes(a)];
    expect(parts.length).toBeGreaterThan(1);
    expect(bytesOf(parts).equals(utf8(JSON.stringify(a)))).toBe(true);
  });
});

describe('JsonBytesWriter', () => {
  it('text gives TextEncoder bytes, string and number JSON.stringify bytes, over takes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            anyString.map((s) => ({ kind: 'text' as const, s })),
            anyString.map((s) => ({ kind: 'string' as const, s })),
            anyNumber.map((n) => ({ kind: 'number' as const, n })),
          ),
          { maxLength: 30 },
        ),
        fc.integer({ min: 1, max: 64 }),
        (ops, capacity) => {
          const w = new JsonBytesWriter(capacity);
          const parts: Uint8Array[] = [];
          for (const [i, op] of ops.entries()) {
            if (op.kind === 'text') w.text(op.s);
            else if (op.kind === 'string') w.string(op.s);
            else w.number(op.n);
            if (i % 4 === 3) parts.push(w.take());
          }
          parts.push(w.take());
          // each value encoded on its own (a text ending in a lone high surrogate is U+FFFD)
          const want = Buffer.concat(
            ops.map((op) =>
              utf8(op.kind === 'text' ? op.s : JSON.stringify(op.kind === 'string' ? op.s : op.n)),
            ),
          );
          expect(bytesOf(parts).equals(want)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
