// Completed orders as columns (the reference index's answer and the group manifest): converting
// from the decider's shape and back gives equal orders, the JSON round-trips, each file is listed
// once, and a malformed value is refused with the reason.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { completedOrder } from './completion-arbitraries.js';
import {
  CompletionColumnsBuilder,
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
  // the register's worker posts its answer while it still reads it (its landing record): shared,
  // the location columns cross without a copy; big ones are mapped by V8 (growable / resizable,
  // never resized), so their memory goes back to the system when freed, not into a malloc arena
  it('builds the location columns in SharedArrayBuffers, big ones growable', () => {
    const flags = (a: Uint32Array) => ({
      shared: a.buffer instanceof SharedArrayBuffer,
      growable: (a.buffer as { growable?: boolean }).growable === true,
    });
    const small = completionColumnsOf([
      {
        orderId: 'o1',
        fingerprint: 'f',
        createdAt: 1,
        order: { key: 'o.csv', stagedKey: 's/o', hash: '00000000000000aa' },
        items: [{ key: 'i.csv', stagedKey: 's/i', hash: '00000000000000bb' }],
        products: [],
      },
    ]);
    for (const l of [small.orders, small.items, small.products])
      for (const a of [l.file, l.hi, l.lo])
        expect(flags(a)).toEqual({ shared: true, growable: false });
    const b = new CompletionColumnsBuilder();
    const file = b.file('i.csv', 's/i');
    const n = 300_000; // 1.2 MB a column
    b.order('o1', 'f', 1, file, '00000000000000aa');
    for (let j = 0; j < n; j++) b.itemWords(file, j, n - j);
    const big = b.build();
    for (const a of [big.items.file, big.items.hi, big.items.lo])
      expect(flags(a)).toEqual({ shared: true, growable: true });
    expect([big.items.hi.length, big.items.hi[7], big.items.lo[7]]).toEqual([n, 7, n - 7]);
  });

  it("a builder's big columns are mapped by V8 (resizable buffers), small ones are not", () => {
    const resizable = (a: Uint32Array) => (a.buffer as { resizable?: boolean }).resizable === true;
    const build = (n: number) => {
      const b = new LocationColumnsBuilder(n);
      for (let j = 0; j < n; j++) b.addWords(j % 3, j, 2 * j);
      return b.build();
    };
    const small = build(1000);
    expect([small.file, small.hi, small.lo].map(resizable)).toEqual([false, false, false]);
    const big = build(300_000);
    expect([big.file, big.hi, big.lo].map(resizable)).toEqual([true, true, true]);
    expect([big.file.length, big.file[299_999], big.hi[5], big.lo[5]]).toEqual([300_000, 2, 5, 10]);
    // grown past its first size, trimmed: the same locations
    const grown = new LocationColumnsBuilder(16);
    for (let j = 0; j < 300_000; j++) grown.addWords(j % 3, j, 2 * j);
    const trimmed = grown.build();
    expect(resizable(trimmed.hi)).toBe(true);
    expect(trimmed).toEqual(big);
  });
});
