// The streamed manifest decode gives what the whole-text decode gives: for every manifest the
// writer makes, cut into chunks anywhere (inside a multi-byte UTF-8 character, inside an escape,
// inside a hash), it streams (finish answers, not null) and its answer equals decodeManifest's;
// for any other text (reformatted, cut short, a byte changed, an older form) it either answers
// the same or hands the text back to the whole decode (null).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completionColumnsOf, completionsOf } from '../../../src/domain/completion-columns.js';
import { packCompletions } from '../../../src/domain/packed-completions.codec.js';
import {
  decodeManifest,
  encodeManifestBytes,
  type GroupManifest,
} from '../../../src/domain/group-manifest.codec.js';
import { ManifestStreamDecoder } from '../../../src/domain/group-manifest-stream.codec.js';

/** text with what a JSON text escapes or spells in several bytes: quotes, backslashes, control
 *  characters, accents, astral characters (4 UTF-8 bytes, a surrogate pair in the string) */
const text = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc
    .array(fc.constantFrom('"', '\\', '\n', '\u0001', 'é', '€', '😀', '\u2028', 'a', ',', ']'), {
      maxLength: 8,
    })
    .map((cs) => cs.join('')),
);

const location = fc.record({
  key: fc.oneof(fc.constantFrom('incoming/a.csv', 'incoming/b.csv'), text),
  stagedKey: fc.constantFrom('staging/orders/1.parquet', 'staging/order_items/2.parquet'),
  // mostly the 16 hex digits rowHashes writes; any other text is kept as it is
  hash: fc.oneof(fc.stringMatching(/^[0-9a-f]{16}$/), fc.stringMatching(/^[0-9a-f]{1,17}$/), text),
});

const order = fc.record({
  orderId: fc.oneof(fc.stringMatching(/^[0-9]{1,7}$/), text),
  fingerprint: fc.oneof(fc.stringMatching(/^[0-9a-f]{16}$/), text),
  createdAt: fc.oneof(
    fc.integer({ min: -8.64e15, max: 8.64e15 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constant(Number.NaN),
  ),
  order: location,
  items: fc.array(location, { maxLength: 5 }),
  products: fc.array(location, { maxLength: 4 }),
});

const manifest: fc.Arbitrary<GroupManifest> = fc.record({
  groupId: text,
  fileKey: text,
  completions: fc.array(order, { maxLength: 12 }).map(completionColumnsOf),
});

const bytesOf = (m: GroupManifest): Uint8Array => Buffer.concat([...encodeManifestBytes(m)]);

/** the bytes cut at the given points (any order, repeats allowed: empty chunks too) */
const chunked = (bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] => {
  const at = [0, ...cuts.map((c) => Math.floor(c * bytes.length)).sort((a, b) => a - b)];
  return at.map((from, i) => bytes.subarray(from, at[i + 1] ?? bytes.length));
};

const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 });

const streamed = (chunks: readonly Uint8Array[]) => {
  const decoder = new ManifestStreamDecoder();
  for (const chunk of chunks) if (!decoder.push(chunk)) break;
  return decoder.finish();
};

const whole = (bytes: Uint8Array) => decodeManifest(new TextDecoder().decode(bytes));

describe('ManifestStreamDecoder', () => {
  it("streams every manifest the writer makes, in chunks cut anywhere, to decodeManifest's answer", () => {
    fc.assert(
      fc.property(manifest, cuts, (m, at) => {
        const bytes = bytesOf(m);
        const answer = streamed(chunked(bytes, at));
        expect(answer).not.toBeNull();
        expect(answer).toEqual(whole(bytes));
        expect(answer?._tag).toBe('Right');
      }),
      { numRuns: 400 },
    );
  });

  it('reads a manifest fed one byte at a time (every character and escape split)', () => {
    fc.assert(
      fc.property(manifest, (m) => {
        const bytes = bytesOf(m);
        const ones = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
        expect(streamed(ones)).toEqual(whole(bytes));
      }),
      { numRuns: 60 },
    );
  });

  it('answers any other text as decodeManifest does, or hands it to the whole decode', () => {
    const altered = fc.oneof(
      // reformatted: the same JSON with whitespace
      fc.record({ m: manifest }).map(({ m }) => {
        const json: unknown = JSON.parse(new TextDecoder().decode(bytesOf(m)));
        return new TextEncoder().encode(JSON.stringify(json, null, 1));
      }),
      // cut short, or a byte changed or inserted anywhere
      fc
        .tuple(
          manifest,
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.integer({ min: 0, max: 255 }),
        )
        .chain(([m, where, byte]) => {
          const bytes = bytesOf(m);
          const i = Math.floor(where * bytes.length);
          return fc.constantFrom(
            bytes.subarray(0, i),
            Uint8Array.from(bytes, (b, j) => (j === i ? byte : b)),
            Buffer.concat([bytes.subarray(0, i), Uint8Array.of(byte), bytes.subarray(i)]),
          );
        }),
      // the packed form of the second manifests
      manifest.map((m) => {
        const { groupId, fileKey } = m;
        const packedOrders = packCompletions(completionsOf(m.completions));
        return new TextEncoder().encode(JSON.stringify({ groupId, fileKey, packedOrders }));
      }),
    );
    fc.assert(
      fc.property(altered, cuts, (bytes, at) => {
        const answer = streamed(chunked(bytes, at));
        if (answer !== null) expect(answer).toEqual(whole(bytes));
      }),
      { numRuns: 600 },
    );
  });

  it('refuses an empty element or a trailing comma in any array, as JSON.parse does', () => {
    // `[,` is wrong in any array; `,]` is placed before the first `]`, so only in arrays whose
    // elements hold no `]` (numbers)
    const anyArray = ['"orderIds":', '"fingerprints":', '"hash":', '"file":', '"createdAt":'];
    const numbers = ['"createdAt":', '"file":', '"itemStart":', '"productStart":'];
    const place = fc.oneof(
      fc.constantFrom(...anyArray).map((key) => ({ key, trailing: false })),
      fc.constantFrom(...numbers).map((key) => ({ key, trailing: true })),
    );
    fc.assert(
      fc.property(manifest, place, cuts, (m, { key, trailing }, at) => {
        const text = new TextDecoder().decode(bytesOf(m));
        const open = text.indexOf(key) + key.length + 1;
        const close = text.indexOf(']', open);
        const bad = trailing
          ? `${text.slice(0, close)},${text.slice(close)}`
          : `${text.slice(0, open)},${text.slice(open)}`;
        const bytes = new TextEncoder().encode(bad);
        expect(whole(bytes)._tag).toBe('Left');
        const answer = streamed(chunked(bytes, at));
        if (answer !== null) expect(answer).toEqual(whole(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
