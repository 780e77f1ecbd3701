// The embedded bucket's gzip: parts deflated at the same time and joined into one gzip member.
// Checked against zlib's own gunzip (any byte string, any chunking, any part size), and that
// the result is ONE member whose trailer holds the whole body's CRC and size (the store reads
// an object's size from it).
import { gunzipSync, crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gunzipChunks, parallelGzip } from '../../../src/adapters/filesystem/gzip-body.js';

async function* chunksOf(bytes: Uint8Array, cuts: readonly number[]): AsyncIterable<Uint8Array> {
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const end = Math.min(cut, bytes.length);
    if (end < at) continue;
    yield bytes.subarray(at, end);
    at = end;
  }
  yield bytes.subarray(at);
}

const gathered = async (chunks: AsyncIterable<Uint8Array>): Promise<Buffer> => {
  const out: Uint8Array[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return Buffer.concat(out);
};

/** compressible and incompressible bytes both: runs of a few values, then random ones */
const bodies = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 400 })), {
      maxLength: 30,
    })
    .map((runs) => Uint8Array.from(runs.flatMap(([value, n]) => Array<number>(n).fill(value)))),
);

describe('parallelGzip', () => {
  it('gunzips to the body, for any chunking and part size, as one member', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodies,
        fc.array(fc.nat({ max: 3000 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        async (body, cuts, partBytes, partsAtOnce, huffmanOnly) => {
          const gz = await gathered(
            parallelGzip(chunksOf(body, cuts), { partBytes, partsAtOnce, huffmanOnly }),
          );
          expect(gunzipSync(gz).equals(Buffer.from(body))).toBe(true);
          // one member: its trailer is the whole body's CRC-32 and size
          expect(gz.readUInt32LE(gz.length - 8)).toBe(crc32(body) >>> 0);
          expect(gz.readUInt32LE(gz.length - 4)).toBe(body.length);
          // and the store's own reader agrees
          const back = await gathered(gunzipChunks(chunksOf(gz, [5, 11])));
          expect(back.equals(Buffer.from(body))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('huffmanOnly codes every byte as a literal (no string matching), readable by gunzip', async () => {
    // a body of one repeated byte: matching makes it a few bytes, Huffman coding alone at least
    // one bit a byte
    const body = new Uint8Array(80_000).fill(65);
    const matched = await gathered(parallelGzip(chunksOf(body, [])));
    const huffman = await gathered(parallelGzip(chunksOf(body, []), { huffmanOnly: true }));
    expect(matched.length).toBeLessThan(1_000);
    expect(huffman.length).toBeGreaterThanOrEqual(body.length / 8);
    expect(gunzipSync(huffman).equals(Buffer.from(body))).toBe(true);
  });

  it('an empty body is a valid, empty gzip', async () => {
    const gz = await gathered(parallelGzip(chunksOf(new Uint8Array(0), [])));
    expect(gunzipSync(gz).length).toBe(0);
    expect(gz.readUInt32LE(gz.length - 4)).toBe(0);
  });

  it('a failing source ends the output with its error', async () => {
    async function* failing(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(10).fill(7);
      throw new Error('disk gone');
    }
    await expect(gathered(parallelGzip(failing(), { partBytes: 4 }))).rejects.toThrow('disk gone');
  });
});
