// validateGroup keeps one Map of keys with flat arrays instead of a Set per order and an object
// per key; the earlier version (group-rules-oracle.ts) is the oracle. Random groups over a tiny
// id space, so duplicates, conflicting versions, items moved between orders, missing orders and
// products, null keys and wrong num_of_item all occur; the whole verdict (counts, samples and
// their order) must be equal, with or without precomputed hashes and under a small sample cap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GroupData, SourcedBatch } from '../../../src/domain/group-data.js';
import { rowHashes } from '../../../src/domain/row-hashes.js';
import { validateGroup } from '../../../src/domain/validation/group-rules.js';
import { item, order, product, sourced, type RowLiteral } from './facts-fixtures.js';
import { validateGroupOracle } from './group-rules-oracle.js';

// ids with a prefix and plain numbers (KeySlots tags those by value), with a look-alike ('01')
const id = (prefix: string) =>
  fc.constantFrom(`${prefix}1`, `${prefix}2`, `${prefix}3`, '1', '2', '01', '1000');
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 8 });

const orderRow = fc
  .tuple(id('O'), id('U'), fc.constantFrom('delivered', 'returned'), fc.integer({ min: 0, max: 3 }))
  .map(([o, u, s, n]) => order(o, u, s, '2025-03-01T10:00:00Z', n));
const itemRow: fc.Arbitrary<RowLiteral> = fc
  .tuple(maybe(id('I')), maybe(id('O')), id('U'), maybe(id('P')), fc.constantFrom(10, 20))
  .map(([i, o, u, p, c]) => ({
    ...item(i ?? '', o ?? '', u, p ?? '', c),
    id: i,
    order_id: o,
    product_id: p,
  }));
const productRow = fc.tuple(id('P'), fc.constantFrom('Books', null)).map(([p, c]) => product(p, c));

const files = (dataset: 'orders' | 'order_items' | 'products', rows: fc.Arbitrary<RowLiteral>) =>
  fc
    .array(
      fc.tuple(fc.constantFrom('a.csv', 'b.csv'), fc.array(rows, { maxLength: 8 }), fc.boolean()),
      { maxLength: 3 },
    )
    .map((list) =>
      list.map(([file, literal, hashed]): SourcedBatch => {
        const s = sourced(file, dataset, literal);
        return hashed ? { ...s, hashes: rowHashes(s.batch) } : s;
      }),
    );

const group: fc.Arbitrary<GroupData> = fc.record({
  orders: files('orders', orderRow),
  items: files('order_items', itemRow),
  products: files('products', productRow),
});

describe('validateGroup, columnar', () => {
  it('gives exactly the verdict of the earlier implementation', () => {
    fc.assert(
      fc.property(group, fc.constantFrom(1, 3, 100), (data, cap) => {
        expect(validateGroup('g', data, cap)).toEqual(validateGroupOracle('g', data, cap));
      }),
      { numRuns: 500 },
    );
  });
});
