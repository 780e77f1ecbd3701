// The Delta commit worker's input: the group's facts as UTF-8 bytes (delta-fact-bytes.ts). A
// commit from the bytes must leave exactly what the inline commit from the fact columns leaves:
// the same data files byte for byte, the same add actions (partition, size, stats), the same rows,
// on a first commit (every date encoded from the bytes) and on later commits that rewrite files
// (ids decoded, new facts appended to kept rows).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { factBytesBatch, factBytesOf } from '../../../src/adapters/delta/delta-fact-bytes.js';
import { compareUtf8 } from '../../../src/adapters/delta/delta-stats.js';
import {
  decodeUtf8Column,
  entryText,
  utf8Column,
  utf8Rows,
} from '../../../src/adapters/delta/delta-utf8-column.js';
import { utf8Data } from '../../../src/adapters/parquet/arrow-columns.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';
import type { AnalyticsCommit } from '../../../src/ports/analytics-tables.port.js';
import { byItem, commitOf, DAY0, orderFactsFiles } from './delta-test-support.js';

const DAY = 86_400_000;
const id = fc.oneof(
  fc.stringMatching(/^[0-9]{1,4}$/),
  fc.string({ minLength: 1, maxLength: 4, unit: 'grapheme' }),
);
const fact: fc.Arbitrary<Fact> = fc.record({
  itemId: id,
  orderId: fc.constantFrom('1', '2', '3', '10', 'é', '\u{1F600}'),
  userId: fc.string({ maxLength: 3 }),
  orderStatus: fc.constantFrom('complete', 'returned', 'shipped', ''),
  orderCreatedAt: fc.integer({ min: 0, max: 3 }).map((d) => DAY0 + d * DAY),
  productId: fc.constantFrom('p1', 'p2', 'ü'),
  category: fc.option(fc.string({ maxLength: 3, unit: 'grapheme' }), { nil: null }),
  salePriceCents: fc.integer({ min: -1e12, max: 1e12 }),
});
// one row per item id, an order's facts on its order's day (as a group's facts are)
// amounts within 32 bits in about half the groups (sent as Int32Array), beyond in the others
const group = fc
  .tuple(fc.array(fact, { minLength: 1, maxLength: 30 }), fc.boolean())
  .map(([facts, small]) =>
    [...new Map(facts.map((f) => [f.itemId, f])).values()].map((f) =>
      // `+ 0`: a remainder of a negative multiple is -0, which no integer amount is
      small ? { ...f, salePriceCents: (f.salePriceCents % 1_000_000) + 0 } : f,
    ),
  );

/** the commit sent as bytes, through a structured clone as postMessage sends it */
async function commitAsBytes(tables: DeltaAnalyticsTables, change: AnalyticsCommit) {
  const bytes = structuredClone(factBytesOf(change.orderIds, change.facts));
  await tables.commitBatch(change, factBytesBatch(bytes));
}

describe('order_facts from the facts as UTF-8 bytes', () => {
  it('leaves the data files, add actions and rows of the inline commit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(group, { minLength: 1, maxLength: 3 }), async (groups) => {
        const now = () => 1_700_000_000_000;
        const [inline, viaBytes] = [new InMemoryObjectStore(), new InMemoryObjectStore()];
        const a = new DeltaAnalyticsTables(inline, { now });
        const b = new DeltaAnalyticsTables(viaBytes, { now });
        let model: Fact[] = [];
        for (const [i, facts] of groups.entries()) {
          // the merge replaces the group's orders and its items (an item may change order)
          const orders = new Set(facts.map((f) => f.orderId));
          const items = new Set(facts.map((f) => f.itemId));
          model = [
            ...model.filter((f) => !orders.has(f.orderId) && !items.has(f.itemId)),
            ...facts,
          ];
          const change = commitOf(`t${i}`, facts, model);
          await a.commit(change);
          await commitAsBytes(b, change);
          expect(await orderFactsFiles(viaBytes, b)).toEqual(await orderFactsFiles(inline, a));
        }
        expect(byItem(await b.readFacts())).toEqual(byItem(model));
      }),
      { numRuns: 40 },
    );
  });

  it('a string column as bytes gives the Arrow data and the strings it was made of', () => {
    const value = fc.option(
      fc.oneof(fc.string({ maxLength: 3 }), fc.string({ maxLength: 5, unit: 'grapheme' })),
      { nil: null },
    );
    const layout = fc.constantFrom('rows' as const, 'runs' as const, 'distinct' as const);
    fc.assert(
      fc.property(fc.array(value, { maxLength: 40 }), layout, (values, how) => {
        const column = structuredClone(utf8Column(values, how));
        expect(decodeUtf8Column(column, values.length)).toEqual(values);
        const rows = values.map((_, i) => i).filter((i) => i % 3 !== 1);
        const picked = rows.map((r) => values[r] ?? null);
        const { data, min, max } = utf8Rows(column, rows);
        const expected = utf8Data(picked);
        // the stats' bounds: the least and greatest picked string in UTF-8 byte order
        const present = picked.filter((v): v is string => v !== null).sort(compareUtf8);
        const bound = (e: number) => (e < 0 ? null : entryText(column, e));
        expect([bound(min), bound(max)]).toEqual(
          present.length === 0 ? [null, null] : [present[0], present[present.length - 1]],
        );
        expect([data.nullCount, [...data.valueOffsets]]).toEqual([
          expected.nullCount,
          [...expected.valueOffsets],
        ]);
        expect(Buffer.from(data.values)).toEqual(Buffer.from(expected.values));
        expect(data.nullBitmap).toEqual(expected.nullBitmap);
      }),
      { numRuns: 100 },
    );
  });

  it('encodes a long column in slices, ASCII or not', () => {
    // more than one slice of 65,536 entries; a non-ASCII entry in the second slice
    const ids = Array.from({ length: 70_000 }, (_, i) => String(i * 7));
    for (const values of [ids, ids.map((id, i) => (i === 69_000 ? `é${id}` : id))]) {
      const column = utf8Column(values, 'rows');
      expect(Buffer.from(column.bytes).equals(Buffer.from(values.join(''), 'utf8'))).toBe(true);
      expect(decodeUtf8Column(column, values.length).join('\n')).toBe(values.join('\n'));
    }
  });

  it('refuses a fractional amount with the inline writer error', () => {
    const facts = commitOf('t', [{ ...oneFact(), salePriceCents: 1.5 }], []).facts;
    expect(() => factBytesOf([], facts)).toThrow(
      new TypeError('delta writer: decimal cell must be an integer of units, got 1.5'),
    );
  });
});

const oneFact = (): Fact => ({
  itemId: 'i1',
  orderId: 'o1',
  userId: 'u1',
  orderStatus: 'complete',
  orderCreatedAt: DAY0,
  productId: 'p1',
  category: 'c',
  salePriceCents: 100,
});
