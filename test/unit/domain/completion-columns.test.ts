// Completed orders as columns (the reference index's answer and the group manifest): converting
// from the decider's shape and back gives equal orders, the JSON round-trips, each file is listed
// once, and a malformed value is refused with the reason.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { completedOrder } from './completion-arbitraries.js';
import {
  completionColumnsJson,
  completionColumnsOf,
  completionCount,
  completionsOf,
  decodeCompletionColumns,
  completionColumnsFromJson,
} from '../../../src/domain/completion-columns.js';
import { hexOfWords } from '../../../src/domain/hex-words.js';
import { LocationColumnsBuilder, hashAt } from '../../../src/domain/location-columns.js';

const order = completedOrder(true);

describe('completion columns', () => {
  it('completionsOf(JSON round trip of completionColumnsOf(orders)) equals the orders', () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 20 }), (orders) => {
        const columns = completionColumnsOf(orders);
        const decoded = decodeCompletionColumns(JSON.parse(completionColumnsJson(columns)));
        if (decoded instanceof Error) throw decoded;
        expect(completionCount(decoded)).toBe(orders.length);
        expect(completionsOf(decoded)).toEqual(orders);
      }),
    );
  });

  it('an answer of many orders (built in parts) holds each order and its locations in order', () => {
    // past two of the builder's parts (8,192 orders each), with odd hashes in every part
    fc.assert(
      fc.property(
        fc.array(order, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 2 * 8192 - 3, max: 2 * 8192 + 700 }),
        (some, count) => {
          const orders = Array.from({ length: count }, (_, i) => {
            const o = some[i % some.length] as (typeof some)[number];
            return { ...o, orderId: `${o.orderId}-${i}` };
          });
          const columns = completionColumnsOf(orders);
          expect(completionCount(columns)).toBe(count);
          expect(columns.itemStart).toHaveLength(count + 1);
          expect(completionsOf(columns)).toEqual(orders);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('lists each (key, stagedKey) once', () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 20 }), (orders) => {
        const columns = completionColumnsOf(orders);
        const pairs = new Set(
          orders
            .flatMap((o) => [o.order, ...o.items, ...o.products])
            .map((l) => `${l.key}|${l.stagedKey}`),
        );
        expect(columns.files).toHaveLength(pairs.size);
      }),
    );
  });

  it('refuses a value naming a file it does not list, or with offsets out of step', () => {
    const good = completionColumnsOf([
      {
        orderId: 'o1',
        fingerprint: 'f',
        createdAt: 1,
        order: { key: 'k', stagedKey: 's', hash: 'h' },
        items: [{ key: 'k', stagedKey: 's', hash: 'i' }],
        products: [],
      },
    ]);
    const json = JSON.parse(completionColumnsJson(good)) as Record<string, unknown>;
    expect(decodeCompletionColumns(json)).not.toBeInstanceOf(Error);
    const badFile = { ...json, items: { file: [1], hash: ['i'] } };
    expect(String(decodeCompletionColumns(badFile))).toMatch(/items must be/);
    const badStart = { ...json, itemStart: [0, 2] };
    expect(String(decodeCompletionColumns(badStart))).toMatch(/itemStart must hold 2 offsets/);
    expect(String(decodeCompletionColumns({ ...json, fingerprints: [] }))).toMatch(/fingerprints/);
    expect(decodeCompletionColumns(null)).toBeInstanceOf(Error);
  });

  it('holds a 16-hex-digit hash as two words and any other hash as its text, both given back', () => {
    const hex16 = fc.stringMatching(/^[0-9a-f]{16}$/);
    const hash = fc.oneof(hex16, fc.string(), fc.stringMatching(/^[0-9A-F]{16}$/));
    fc.assert(
      fc.property(fc.array(hash, { maxLength: 30 }), (hashes) => {
        const b = new LocationColumnsBuilder(1);
        hashes.forEach((h, j) => b.add(j % 3, h));
        const l = b.build();
        expect(hashes.map((_, j) => hashAt(l, j))).toEqual(hashes);
        expect([...l.file]).toEqual(hashes.map((_, j) => j % 3));
        hashes.forEach((h, j) => {
          const words = /^[0-9a-f]{16}$/.test(h);
          expect(l.odd.has(j)).toBe(!words);
          if (words) expect(hexOfWords(l.hi[j] ?? 0, l.lo[j] ?? 0)).toBe(h);
        });
      }),
    );
  });

  it('reads its JSON text the same with the hash arrays parsed straight into words', () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 20 }), (orders) => {
        const text = completionColumnsJson(completionColumnsOf(orders));
        const plain = decodeCompletionColumns(JSON.parse(text));
        expect(completionColumnsFromJson(text)).toEqual(plain);
        // spaces where JSON allows them in a hash array change nothing
        const spaced = text.replace(/"hash":\[[^\]]*\]/g, (a) =>
          a.replace('[', '[ ').replaceAll(',', ' , ').replace(']', ' ]'),
        );
        expect(spaced).not.toBe(text);
        expect(completionColumnsFromJson(spaced)).toEqual(plain);
      }),
    );
  });

  it('refuses a hash array that is not a list of strings, lifted or not', () => {
    const text = completionColumnsJson(
      completionColumnsOf([
        {
          orderId: 'o1',
          fingerprint: 'f',
          createdAt: 1,
          order: { key: 'k', stagedKey: 's', hash: '0123456789abcdef' },
          items: [],
          products: [],
        },
      ]),
    );
    expect(completionColumnsFromJson(text)).not.toBeInstanceOf(Error);
    const broken = text.replace('"hash":["0123456789abcdef"]', '"hash":[7]');
    expect(String(completionColumnsFromJson(broken))).toMatch(/orders must be/);
    // a number where an array belongs is never taken for a lifted array
    const numeric = text.replace('"hash":[]', '"hash":0');
    expect(String(completionColumnsFromJson(numeric))).toMatch(/must be/);
    expect(completionColumnsFromJson('{"files":')).toBeInstanceOf(Error);
  });
});
