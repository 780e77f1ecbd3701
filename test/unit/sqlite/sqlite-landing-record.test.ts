// A landing's answer stored in parts: the JSON cut into slices (never inside a surrogate pair),
// each brotli'd on its own, reads back as the same columns; the slices join to the text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COLUMNS,
  IN_PARTS,
  completionsRecordParts,
  completionsRecordPartsAsync,
  jsonRecordParts,
  storedCompletions,
} from '../../../src/adapters/sqlite/sqlite-landing-record.js';
import { textSlices, textSlicesOfParts } from '../../../src/domain/text-slices.js';
import {
  completionColumnsJson,
  completionColumnsOf,
  type CompletionColumns,
} from '../../../src/domain/completion-columns.js';
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

describe('a landing record as its columns', () => {
  it('reads back as the columns it was made from, the same JSON (so the same manifest)', () => {
    fc.assert(
      fc.property(fc.array(completedOrder(true), { maxLength: 6 }), (orders) => {
        const columns = completionColumnsOf(orders);
        const parts = [...completionsRecordParts(columns)];
        const back = storedCompletions(COLUMNS, () => parts);
        expect(back).toEqual(columns);
        expect(completionColumnsJson(back)).toBe(completionColumnsJson(columns));
      }),
      { numRuns: 300 },
    );
  });

  it('cuts big columns into segments and reads them back', async () => {
    // 70,000 orders of 16 items each: orderIds in two JSON segments, items' columns in two
    const n = 70_000;
    const items = 16 * n;
    const words = (k: number, seed: number): Uint32Array =>
      Uint32Array.from({ length: k }, (_, i) => Math.imul(i + 1, seed) >>> 0);
    const columns: CompletionColumns = {
      files: [
        ['o.csv', 's/o'],
        ['i.csv', 's/i'],
      ],
      orderIds: Array.from({ length: n }, (_, i) => `o${i}`),
      fingerprints: Array.from({ length: n }, (_, i) => (i * 7919).toString(16).padStart(16, '0')),
      createdAt: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : i * 1000)),
      orders: { file: new Uint32Array(n), hi: words(n, 3), lo: words(n, 5), odd: new Map() },
      itemStart: Array.from({ length: n + 1 }, (_, i) => 16 * i),
      items: {
        file: new Uint32Array(items).fill(1),
        hi: words(items, 7),
        lo: words(items, 11),
        odd: new Map([[5, 'odd-one']]),
      },
      productStart: new Array<number>(n + 1).fill(0),
      products: {
        file: new Uint32Array(0),
        hi: new Uint32Array(0),
        lo: new Uint32Array(0),
        odd: new Map(),
      },
    };
    const parts = [...completionsRecordParts(columns)];
    expect(parts.length).toBeGreaterThan(12);
    // compressed on the thread pool (the worker's register): the same parts, in the same order
    const async = await completionsRecordPartsAsync(columns);
    expect(async.length).toBe(parts.length);
    async.forEach((part, i) => expect(part.equals(parts[i] as Buffer)).toBe(true));
    const back = storedCompletions(COLUMNS, () => parts);
    expect(completionColumnsJson(back)).toBe(completionColumnsJson(columns));
    const bytes = (a: Uint32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(bytes(back.items.hi).equals(bytes(columns.items.hi))).toBe(true);
    expect(back.items.odd).toEqual(columns.items.odd);
    // a record cut short or damaged is an error, not a wrong answer
    expect(() => storedCompletions(COLUMNS, () => parts.slice(0, -1))).toThrow(/ends early/);
    expect(() => storedCompletions(COLUMNS, () => [...parts, parts[1] as Buffer])).toThrow(
      /longer/,
    );
  });
});

describe('a landing record as JSON in parts (the form written before)', () => {
  it('reads back as the columns it was made from, whatever the part size', () => {
    fc.assert(
      fc.property(
        fc.array(completedOrder(true), { maxLength: 6 }),
        fc.integer({ min: 1, max: 400 }),
        (orders, units) => {
          const columns = completionColumnsOf(orders);
          const parts = [...jsonRecordParts(columns, units)];
          expect(storedCompletions(IN_PARTS, () => parts)).toEqual(columns);
        },
      ),
      { numRuns: 200 },
    );
  });
});
