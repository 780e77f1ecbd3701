// The selection StagedRows makes from completion columns: each wanted hash taken once (its first
// row in the staged file), the rest left as missing; the whole batch answered as null. Hashes
// are compared as words; hashes that are not 16 hex digits are wanted but never found.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  missingOf,
  pick,
  pickIndexed,
  StagedRowIndex,
  wantedCounts,
  wantedIn,
  type Wanted,
} from '../../../src/application/staged-row-selection.js';
import { completionColumnsOf } from '../../../src/domain/completion-columns.js';
import { HashWordSet } from '../../../src/domain/hash-word-set.js';
import type { CompletionColumns } from '../../../src/domain/completion-columns.js';

/** per staged key, the content hashes the group names in it (as StagedRows makes them, file by file) */
const wantedHashes = (c: CompletionColumns): Map<string, Wanted> =>
  new Map([...wantedCounts(c)].map(([s, n]) => [s, wantedIn(c, s, n)]));

// a few hashes, some equal in one word, so probes meet near-collisions
const HASHES: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [1, 0],
  [0xffffffff, 1],
  [1, 0xffffffff],
  [0xdeadbeef, 0x12345678],
];
const hash = fc.integer({ min: 0, max: HASHES.length - 1 });
/** rows' hash words as a staged batch holds them ([lo, hi] per row), each row a hash of `pool` */
const wordsOf = (
  rows: readonly number[],
  pool: readonly (readonly [number, number])[] = HASHES,
): Uint32Array => {
  const out = new Uint32Array(2 * rows.length);
  rows.forEach((h, r) => {
    const [hi, lo] = pool[h] as readonly [number, number];
    out[2 * r] = lo;
    out[2 * r + 1] = hi;
  });
  return out;
};

describe('staged row selection', () => {
  it('keeps the first row of each wanted hash and leaves the hashes no row has', () => {
    fc.assert(
      fc.property(fc.array(hash, { maxLength: 12 }), fc.uniqueArray(hash), (rows, wanted) => {
        const set = new HashWordSet(wanted.length);
        for (const h of wanted) set.add(...(HASHES[h] as [number, number]));
        const picked = pick(wordsOf(rows), set);
        const expected = rows.flatMap((h, r) =>
          wanted.includes(h) && rows.indexOf(h) === r ? [r] : [],
        );
        if (expected.length === rows.length) expect(picked).toBeNull();
        else expect([...(picked ?? [])]).toEqual(expected);
        const left = wanted.filter((h) => !rows.includes(h));
        expect(set.size).toBe(left.length);
        for (const h of wanted)
          expect(set.has(...(HASHES[h] as [number, number]))).toBe(left.includes(h));
      }),
    );
  });

  it('HashWordSet answers what a Set of the hashes answers, over adds then takes', () => {
    const word = fc.constantFrom(0, 1, 2, 0x80000000, 0xffffffff);
    const pair = fc.tuple(word, word);
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 40 }), fc.array(pair), (added, taken) => {
        const set = new HashWordSet(added.length);
        const model = new Set<string>();
        for (const [hi, lo] of added) {
          set.add(hi, lo);
          model.add(`${hi}:${lo}`);
        }
        expect(set.size).toBe(model.size);
        for (const [hi, lo] of taken) expect(set.take(hi, lo)).toBe(model.delete(`${hi}:${lo}`));
        expect(set.size).toBe(model.size);
      }),
    );
  });

  it('collects the hashes of order rows, items and products per staged key', () => {
    const h = (n: number): string => n.toString(16).padStart(16, '0');
    const at = (stagedKey: string, hex: string) => ({
      key: `incoming/${stagedKey}`,
      stagedKey,
      hash: hex,
    });
    const columns = completionColumnsOf([
      {
        orderId: '1',
        fingerprint: 'f',
        createdAt: 0,
        order: at('o', h(1)),
        items: [at('i', h(2)), at('i2', h(3)), at('i2', 'not-hex')],
        products: [at('p', h(4))],
      },
      // the same staged key under another raw file name shares one set
      {
        orderId: '2',
        fingerprint: 'f',
        createdAt: 0,
        order: { key: 'incoming/other', stagedKey: 'o', hash: h(5) },
        items: [at('i', h(6))],
        products: [at('p', h(4))],
      },
    ]);
    const wanted = wantedHashes(columns);
    const has = (s: string, n: number) => wanted.get(s)?.hashes.has(0, n);
    expect([...wanted.keys()].sort()).toEqual(['i', 'i2', 'o', 'p']);
    expect([has('o', 1), has('o', 5), has('i', 2), has('i', 6), has('i2', 3), has('p', 4)]).toEqual(
      [true, true, true, true, true, true],
    );
    expect(has('o', 2)).toBe(false);
    const counts = [...wanted].map(([s, w]) => [s, missingOf(w)]);
    expect(Object.fromEntries(counts)).toEqual({ o: 2, i: 2, i2: 2, p: 1 });
    expect([...(wanted.get('i2')?.odd ?? [])]).toEqual(['not-hex']);
  });
});

describe('wantedIn', () => {
  /** the plain form: every location of every column tested against the staged key */
  const plainWantedIn = (c: CompletionColumns, stagedKey: string): [string[], string[]] => {
    const hashes: string[] = [];
    const odd: string[] = [];
    for (const { file, hi, lo, odd: texts } of [c.orders, c.items, c.products])
      for (let j = 0; j < file.length; j++) {
        if (c.files[file[j] as number]?.[1] !== stagedKey) continue;
        const text = texts.get(j);
        if (text === undefined) hashes.push(`${hi[j]}:${lo[j]}`);
        else odd.push(text);
      }
    return [[...new Set(hashes)].sort(), [...new Set(odd)].sort()];
  };

  it('wants exactly the hashes the plain per-location test wants, per staged key', () => {
    const hex = fc.stringMatching(/^[0-9a-f]{16}$/);
    const loc = fc.record({
      key: fc.constantFrom('incoming/a.csv', 'incoming/b.csv', 'incoming/c.csv'),
      stagedKey: fc.constantFrom('s/orders/1', 's/items/2', 's/products/3', 's/items/4'),
      hash: fc.oneof(hex, hex, fc.constantFrom('odd', 'x')),
    });
    const order = fc.record({
      orderId: fc.string({ maxLength: 3 }),
      fingerprint: hex,
      createdAt: fc.integer(),
      order: loc,
      items: fc.array(loc, { maxLength: 4 }),
      products: fc.array(loc, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(order, { maxLength: 10 }), (orders) => {
        const c = completionColumnsOf(orders);
        for (const [stagedKey, n] of wantedCounts(c)) {
          const w = wantedIn(c, stagedKey, n);
          const [hashes, odd] = plainWantedIn(c, stagedKey);
          expect(w.hashes.size).toBe(hashes.length);
          for (const h of hashes) {
            const [hi, lo] = h.split(':').map(Number) as [number, number];
            expect(w.hashes.has(hi, lo)).toBe(true);
          }
          expect([...w.odd].sort()).toEqual(odd);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('pickIndexed', () => {
  // few distinct hashes, some equal in one word: files hold the same row twice, groups name
  // rows the file lacks, and probes meet near-collisions
  const POOL: readonly (readonly [number, number])[] = [
    [0, 1],
    [1, 0],
    [0xffffffff, 1],
    [1, 0xffffffff],
    [0xdeadbeef, 0x12345678],
    [0x12345678, 0xdeadbeef],
    [7, 7],
    [0x9e3779b1, 0],
    [2, 3],
    [3, 2],
  ];
  const hexOf = ([hi, lo]: readonly [number, number]): string =>
    hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
  const TARGET = 's/items/t';

  /** StagedRows' plain path: the set of every location, then pick batch by batch */
  const plain = (c: CompletionColumns, batches: readonly Uint32Array[]) => {
    const want = wantedIn(c, TARGET, wantedCounts(c).get(TARGET) ?? 0);
    const expected = want.hashes.size;
    const rows: (number[] | null)[] = [];
    let stopped = false;
    for (const words of batches) {
      if (stopped) {
        rows.push([]);
        continue;
      }
      const r = pick(words, want.hashes);
      rows.push(r === null ? null : [...r]);
      if (r !== null && r.length === 0) continue;
      if (want.hashes.size === 0) stopped = true;
    }
    return { rows, expected, missing: missingOf(want) };
  };

  it('takes the rows wantedIn and pick take, batch by batch, and counts the same missing', () => {
    const fileRows = fc.array(fc.array(fc.nat(POOL.length - 1), { maxLength: 6 }), {
      maxLength: 4,
    });
    // a location: a row of the target file (by position: mostly in file order), a pool hash
    // (maybe in no row), or text that is no hash; in the target staged key or another
    const where = fc.record({
      key: fc.constantFrom('incoming/a.csv', 'incoming/b.csv'),
      stagedKey: fc.constantFrom(TARGET, TARGET, TARGET, 's/items/other', 's/orders/o'),
      what: fc.oneof(
        fc.record({ row: fc.nat(30) }),
        fc.record({ pool: fc.nat(POOL.length - 1) }),
        fc.record({ text: fc.constantFrom('odd', 'x') }),
      ),
    });
    const shape = fc.record({
      batches: fileRows,
      order: fc.array(where, { maxLength: 30 }),
      // the usual case: every row of the file, in file order, ahead of the rest
      wholeFirst: fc.boolean(),
    });
    fc.assert(
      fc.property(shape, ({ batches, order, wholeFirst }) => {
        const words = batches.map((b) => wordsOf(b, POOL));
        const all = batches.flat();
        const hashOf = (w: (typeof order)[number]): string => {
          const what = w.what;
          if ('text' in what) return what.text;
          if ('pool' in what) return hexOf(POOL[what.pool] as readonly [number, number]);
          const h = all.length === 0 ? 0 : (all[what.row % all.length] as number);
          return hexOf(POOL[h] as readonly [number, number]);
        };
        const at = (w: (typeof order)[number]) => ({
          key: w.key,
          stagedKey: w.stagedKey,
          hash: hashOf(w),
        });
        const whole = wholeFirst
          ? all.map((h) => ({ key: 'incoming/a.csv', stagedKey: TARGET, hash: hexOf(POOL[h]!) }))
          : [];
        const [first, ...rest] = [...whole, ...order.map(at)];
        // locations spread over an order's row, items and products, as a group names them
        const orders =
          first === undefined
            ? []
            : [
                {
                  orderId: '1',
                  fingerprint: 'f',
                  createdAt: 0,
                  order: first,
                  items: rest.filter((_, i) => i % 3 !== 2),
                  products: rest.filter((_, i) => i % 3 === 2),
                },
              ];
        const c = completionColumnsOf(orders);
        const index = new StagedRowIndex(all.length);
        for (const w of words) index.add(w);
        expect(index.usable).toBe(true);
        const fast = pickIndexed(c, TARGET, index);
        const slow = plain(c, words);
        expect(fast.rows.map((r) => (r === null ? null : [...r]))).toEqual(slow.rows);
        expect(fast.expected).toBe(slow.expected);
        expect(fast.missing).toBe(slow.missing);
      }),
      { numRuns: 1000 },
    );
  });

  it('is not usable when the file holds more rows than the landing counted', () => {
    // its table is at most half full: 16 slots at the least, so 9 rows do not fit
    const index = new StagedRowIndex(1);
    index.add(Uint32Array.from({ length: 18 }, (_, i) => i));
    expect(index.usable).toBe(false);
    const fits = new StagedRowIndex(3);
    fits.add(new Uint32Array([1, 2, 3, 4, 5, 6]));
    expect(fits.usable).toBe(true);
    expect([fits.find(2, 1), fits.find(6, 5), fits.find(1, 2)]).toEqual([0, 2, -1]);
  });
});
