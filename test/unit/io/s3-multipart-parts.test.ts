// How a streamed body is cut into multipart parts: every part but the last exactly the part
// size, the parts' bytes the body's bytes in order, whatever the chunking of the stream.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partsOf } from '../../../src/adapters/s3/s3-multipart-put.js';

async function* streamOf(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

const collect = async (body: AsyncIterable<Uint8Array>, size: number): Promise<Uint8Array[]> => {
  const parts: Uint8Array[] = [];
  for await (const p of partsOf(body, size)) parts.push(p);
  return parts;
};

describe('partsOf', () => {
  it('cuts any chunking of any body into full parts and one shorter last part', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 17 }),
        async (chunks, size) => {
          const parts = await collect(streamOf(chunks), size);
          const body = Buffer.concat(chunks);
          expect(Buffer.concat(parts).equals(body)).toBe(true);
          expect(parts.slice(0, -1).every((p) => p.length === size)).toBe(true);
          expect(parts.every((p) => p.length > 0 && p.length <= size)).toBe(true);
          expect(parts.length).toBe(Math.ceil(body.length / size));
        },
      ),
    );
  });

  it('hands out a fresh buffer per part: a part kept is not overwritten by the next', async () => {
    const parts = await collect(streamOf([new Uint8Array([1, 2, 3, 4, 5])]), 2);
    expect(parts.map((p) => [...p])).toEqual([[1, 2], [3, 4], [5]]);
  });
});
