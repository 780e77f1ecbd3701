// The bytes digest is one value per byte sequence, whatever the chunks it is fed in (aligned or
// not in their buffers), and it is Hash64 over the little-endian words, the tail byte by byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BytesDigest } from '../../../src/application/bytes-digest.js';
import { Hash64 } from '../../../src/domain/fingerprint.js';

/** the plain form: Hash64.code per word read with a DataView, then the tail bytes */
const plainDigest = (bytes: Uint8Array): string => {
  const h = new Hash64();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  for (; at + 4 <= bytes.length; at += 4) h.code(view.getUint32(at, true));
  for (; at < bytes.length; at++) h.code(bytes[at] as number);
  return `${bytes.length}:${h.digest()}`;
};

describe('BytesDigest', () => {
  it('digests any chunking of the bytes, at any offset in its buffer, as the plain form', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat({ max: 300 }), { maxLength: 12 }),
        fc.nat({ max: 7 }),
        (bytes, cuts, shift) => {
          // the bytes placed `shift` bytes into a bigger buffer, so chunks start unaligned
          const buffer = new Uint8Array(bytes.length + shift);
          buffer.set(bytes, shift);
          const placed = buffer.subarray(shift);
          const at = [0, ...cuts.map((c) => Math.min(c, bytes.length)).sort((a, b) => a - b)];
          const digest = new BytesDigest();
          at.forEach((from, i) => digest.add(placed.subarray(from, at[i + 1] ?? bytes.length)));
          expect(digest.digest()).toBe(plainDigest(bytes));
        },
      ),
      { numRuns: 500 },
    );
  });
});
