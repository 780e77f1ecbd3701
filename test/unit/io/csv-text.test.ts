// The text source's ASCII road (latin1 pieces cut at LFs from a reused buffer) against the
// streaming TextDecoder it replaced for ASCII files (csv-text-oracle.ts): the same text, and
// the same problem at the same line after the same text, for any bytes cut into any chunks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PIECE_BYTES, countNewlines, textOf } from '../../../src/adapters/csv/csv-text.js';
import type { FileProblem } from '../../../src/ports/csv-decoder.port.js';
import { textOf as oracleTextOf } from './csv-text-oracle.js';

type Of = typeof textOf;

const run = async (
  of: Of,
  chunks: readonly Uint8Array[],
  fatal: boolean,
): Promise<{ text: string; problem: FileProblem | undefined; pulled: number }> => {
  let pulled = 0;
  async function* source(): AsyncIterable<Uint8Array> {
    for (const c of chunks) {
      pulled++;
      // a copy: the source's chunks are its own (the ASCII road must not keep a view of them)
      yield c.slice();
    }
  }
  const t = of('f.csv', source(), fatal);
  let text = '';
  for await (const s of t.chunks) {
    expect(s.length).toBeGreaterThan(0);
    text += s;
  }
  return { text, problem: t.problem, pulled };
};

const enc = new TextEncoder();
const BOM = Uint8Array.of(0xef, 0xbb, 0xbf);
/** pieces of a file: mostly ASCII lines, sometimes something that is not; `long` adds lines
 *  and records longer than a piece */
const segment = (long: boolean) =>
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc
        .string({ unit: fc.constantFrom('a', '1', ',', '"', ' ', '\n', '\r\n') })
        .map((s) => enc.encode(s)),
    },
    {
      weight: long ? 2 : 0,
      arbitrary: fc
        .integer({ min: 1, max: 3 * PIECE_BYTES })
        .map((n) => enc.encode(`${'x'.repeat(n)}\n`)),
    },
    {
      weight: long ? 1 : 0,
      arbitrary: fc.integer({ min: 1, max: 2 * PIECE_BYTES }).map((n) => enc.encode('y'.repeat(n))),
    },
    { weight: 1, arbitrary: fc.constantFrom('é', '🎉', '\u00a0', 'ü\n').map((s) => enc.encode(s)) },
    { weight: 1, arbitrary: fc.constant(BOM) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        Uint8Array.of(0),
        Uint8Array.of(0xff),
        Uint8Array.of(0x80),
        Uint8Array.of(0xe2, 0x82),
        Uint8Array.of(0xf0, 0x9f),
      ),
    },
  );

const file = (long: boolean) =>
  fc
    .tuple(fc.boolean(), fc.array(segment(long), { maxLength: 12 }))
    .map(([bom, parts]) => Buffer.concat([bom ? BOM : new Uint8Array(0), ...parts]));

/** cut points: small cuts split characters and CRLFs, big ones cross pieces */
const chunked = (long: boolean) =>
  file(long).chain((bytes) =>
    fc
      .array(
        long
          ? fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 300_000 }))
          : fc.integer({ min: 0, max: 12 }),
        { minLength: 1, maxLength: 40 },
      )
      .map((sizes) => {
        const chunks: Uint8Array[] = [];
        let at = 0;
        for (let k = 0; at < bytes.length; k++) {
          let n = sizes[k % sizes.length] as number;
          // an empty chunk, then at least a byte
          if (n === 0) chunks.push(new Uint8Array(0));
          n = Math.max(n, 1);
          chunks.push(bytes.subarray(at, at + n));
          at += n;
        }
        return chunks;
      }),
  );

const sameAsOracle = async (chunks: readonly Uint8Array[], fatal: boolean): Promise<void> => {
  const got = await run(textOf, chunks, fatal);
  const want = await run(oracleTextOf, chunks, fatal);
  expect(got.problem).toEqual(want.problem);
  expect(got.text.length).toBe(want.text.length);
  expect(got.text === want.text).toBe(true);
};

describe('csv text: the ASCII road gives the streaming decoder text', () => {
  it('the same text and problem as the TextDecoder for any bytes cut into small chunks', async () => {
    await fc.assert(fc.asyncProperty(chunked(false), fc.boolean(), sameAsOracle), {
      numRuns: 1000,
    });
  });

  it('the same with lines and records longer than a piece, and big chunks', async () => {
    await fc.assert(fc.asyncProperty(chunked(true), fc.boolean(), sameAsOracle), { numRuns: 40 });
  });

  it('ASCII text comes in pieces that end on a line, none over PIECE_BYTES', async () => {
    const line = `${'z'.repeat(99)}\n`;
    const bytes = enc.encode(line.repeat(5000));
    const pieces: string[] = [];
    async function* source(): AsyncIterable<Uint8Array> {
      for (let at = 0; at < bytes.length; at += 256 * 1024)
        yield bytes.subarray(at, at + 256 * 1024);
    }
    for await (const s of textOf('f.csv', source()).chunks) pieces.push(s);
    expect(pieces.join('')).toBe(line.repeat(5000));
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(PIECE_BYTES);
      expect(p.endsWith('\n')).toBe(true);
    }
    expect(pieces.length).toBeGreaterThan(bytes.length / PIECE_BYTES);
  });

  it('a NUL after ASCII text: the text before it first, then the line of the NUL', async () => {
    const got = await run(textOf, [enc.encode('a,b\nc,d'), enc.encode('e\n\nf\0g')], true);
    expect(got.text).toBe('a,b\nc,d');
    expect(got.problem).toMatchObject({ _tag: 'NotText', line: 4 });
  });

  it('a BOM after ASCII bytes is text; one at the start, after empty chunks, is dropped', async () => {
    const mid = await run(textOf, [enc.encode('a\n'), BOM, enc.encode('b\n')], true);
    expect(mid.text).toBe('a\n\ufeffb\n');
    const start = await run(textOf, [new Uint8Array(0), BOM, enc.encode('b\n')], true);
    expect(start.text).toBe('b\n');
  });

  it('countNewlines counts the LF bytes before end, at any alignment', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(8),
        fc.nat(300),
        (raw, offset, endAt) => {
          const bytes = raw
            .map((b) => (b % 3 === 0 ? 10 : b))
            .subarray(Math.min(offset, raw.length));
          const end = Math.min(endAt, bytes.length);
          let want = 0;
          for (let i = 0; i < end; i++) if (bytes[i] === 10) want++;
          expect(countNewlines(bytes, end)).toBe(want);
        },
      ),
      { numRuns: 500 },
    );
  });
});
