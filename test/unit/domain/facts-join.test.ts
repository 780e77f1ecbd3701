import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factColumnsOf, factDates, factsOf } from '../../../src/domain/kpi/fact-columns.js';
import { utcDate } from '../../../src/domain/dates.js';
import { factColumnsFor, joinFacts } from '../../../src/domain/kpi/join-facts.js';
import { projectColumns } from '../../../src/domain/batch-rows.js';
import type { SourcedBatch } from '../../../src/domain/group-data.js';
import { JOIN_COLUMNS } from '../../../src/domain/stage-columns.js';
import { item, ms, order, product, sourced, type RowLiteral } from './facts-fixtures.js';
import { joinFactsAsObjects } from './join-facts-oracle.js';

describe('joinFacts', () => {
  const orders = [
    sourced('o.csv', 'orders', [order('O1', 'U1', 'Delivered', '2025-03-01T10:00:00Z', 2)]),
  ];
  const products = [sourced('p.csv', 'products', [product('P1', 'Books'), product('P2', null)])];

  it('joins each item to its order and product', () => {
    const items = [
      sourced('i.csv', 'order_items', [
        item('I1', 'O1', 'U1', 'P1', 999),
        item('I2', 'O1', 'U1', 'P2', 1),
      ]),
    ];
    const { facts, missing } = joinFacts({ orders, products, items });
    expect(missing).toEqual([]);
    expect(facts.length).toBe(2);
    expect(facts.orderCreatedAt).toBeInstanceOf(Float64Array);
    expect(factsOf(facts)).toEqual([
      {
        itemId: 'I1',
        orderId: 'O1',
        userId: 'U1',
        orderStatus: 'delivered',
        orderCreatedAt: ms('2025-03-01T10:00:00Z'),
        productId: 'P1',
        category: 'Books',
        salePriceCents: 999,
      },
      expect.objectContaining({ itemId: 'I2', category: null, salePriceCents: 1 }),
    ]);
  });

  it('reports items whose order or product is absent, with file and line', () => {
    const items = [
      sourced('i.csv', 'order_items', [
        item('I1', 'O9', 'U1', 'P1', 5),
        item('I2', 'O1', 'U1', 'P7', 5),
      ]),
    ];
    const { facts, missing } = joinFacts({ orders, products, items });
    expect(facts.length).toBe(0);
    expect(missing).toEqual([
      { file: 'i.csv', line: 2, itemId: 'I1', orderId: 'O9', productId: 'P1', missing: ['order'] },
      {
        file: 'i.csv',
        line: 3,
        itemId: 'I2',
        orderId: 'O1',
        productId: 'P7',
        missing: ['product'],
      },
    ]);
  });

  it('counts an item delivered twice once (the last version wins)', () => {
    const items = [
      sourced('a.csv', 'order_items', [item('I1', 'O1', 'U1', 'P1', 100)]),
      sourced('b.csv', 'order_items', [item('I1', 'O1', 'U1', 'P1', 150)]),
    ];
    const { facts } = joinFacts({ orders, products, items });
    expect(factsOf(facts).map((f) => [f.itemId, f.salePriceCents])).toEqual([['I1', 150]]);
  });

  it('treats an item without sale_price as adding no revenue', () => {
    const items = [
      sourced('i.csv', 'order_items', [{ ...item('I1', 'O1', 'U1', 'P1', 0), sale_price: null }]),
    ];
    expect(joinFacts({ orders, products, items }).facts.salePriceCents).toEqual([0]);
  });
});

// small id alphabets so that duplicates, moved items and missing references are common
const id = (prefix: string, n: number) => fc.nat(n).map((i) => `${prefix}${i}`);
// order ids as shops spell them: text, plain numbers (KeySlots holds these by value, densely),
// and numbers it must hash instead (a leading zero, 10 digits and more)
const orderId = (n: number) =>
  fc.oneof(
    id('O', n),
    fc.nat(n).map(String),
    fc.constantFrom('07', '7', '4294967296', '999999999'),
  );
const orderRow: fc.Arbitrary<RowLiteral> = fc.record({
  order_id: fc.option(orderId(8), { nil: null, freq: 10 }),
  user_id: fc.option(id('U', 3), { nil: null, freq: 6 }),
  status: fc.option(fc.constantFrom('Delivered', 'RETURNED', 'shipped', ''), { nil: null }),
  created_at: fc.option(fc.integer({ min: 1.7e12, max: 1.75e12 }), { nil: null, freq: 6 }),
  num_of_item: fc.nat(4),
});
const itemRow: fc.Arbitrary<RowLiteral> = fc.record({
  id: fc.option(id('I', 12), { nil: null, freq: 12 }),
  order_id: fc.option(orderId(10), { nil: null, freq: 12 }),
  user_id: id('U', 3),
  product_id: fc.option(id('P', 5), { nil: null, freq: 12 }),
  status: fc.constant('delivered'),
  sale_price: fc.option(fc.integer({ min: -1e12, max: 1e12 }), { nil: null, freq: 8 }),
});
const productRow: fc.Arbitrary<RowLiteral> = fc.record({
  id: fc.option(id('P', 4), { nil: null, freq: 10 }),
  category: fc.option(fc.constantFrom('Books', 'Toys', ''), { nil: null }),
});
const files = (dataset: 'orders' | 'order_items' | 'products', rows: fc.Arbitrary<RowLiteral>) =>
  fc
    .array(fc.array(rows, { maxLength: 12 }), { maxLength: 3 })
    .map((batches) => batches.map((b, i) => sourced(`${dataset}-${i}.csv`, dataset, b)));
/** a group's rows: its orders', items' and products' files */
const groupData = fc.record({
  orders: files('orders', orderRow),
  items: files('order_items', itemRow),
  products: files('products', productRow),
});

describe('joinFacts as columns', () => {
  it('equals the object join for any group: same facts in the same order, same missing', () => {
    fc.assert(
      fc.property(groupData, (data) => {
        const oracle = joinFactsAsObjects(data);
        const joined = joinFacts(data);
        // into columns made ahead (as the Transform makes them, with its reclaim)
        expect(joinFacts(data, factColumnsFor(data))).toEqual(joined);
        expect(joined.missing).toEqual(oracle.missing);
        expect(factsOf(joined.facts)).toEqual(oracle.facts);
        expect(joined.facts.length).toBe(oracle.facts.length);
        // every column has exactly length rows
        for (const column of Object.values(joined.facts))
          if (typeof column !== 'number') expect(column.length).toBe(oracle.facts.length);
      }),
      { numRuns: 300 },
    );
  });

  it('needs only JOIN_COLUMNS (what Transform keeps of the rows) and no row hashes', () => {
    const cut = (list: readonly SourcedBatch[]): SourcedBatch[] =>
      list.map((s) => ({
        file: s.file,
        batch: projectColumns(s.batch, JOIN_COLUMNS[s.batch.dataset]),
      }));
    fc.assert(
      fc.property(groupData, (data) => {
        const { orders, items, products } = data;
        const cutData = { orders: cut(orders), items: cut(items), products: cut(products) };
        expect(joinFacts(cutData)).toEqual(joinFacts(data));
      }),
      { numRuns: 200 },
    );
  });

  it('factDates are the distinct UTC dates of the facts, sorted', () => {
    const times = fc.array(fc.integer({ min: -8.64e12, max: 8.64e12 }), { maxLength: 50 });
    fc.assert(
      fc.property(times, (at) => {
        const columns = {
          ...factColumnsOf([]),
          length: at.length,
          orderCreatedAt: Float64Array.from(at),
        };
        expect(factDates(columns)).toEqual([...new Set(at.map(utcDate))].sort());
      }),
    );
  });

  it('factColumnsOf and factsOf are inverse', () => {
    const oracleFacts = (seed: number) =>
      joinFactsAsObjects({
        orders: [
          sourced('o.csv', 'orders', [order('O1', 'U1', 'Returned', '2025-03-01T00:00:00Z', 1)]),
        ],
        products: [sourced('p.csv', 'products', [product('P1', null)])],
        items: [sourced('i.csv', 'order_items', [item(`I${seed}`, 'O1', 'U1', 'P1', seed)])],
      }).facts;
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (seed) => {
        const facts = oracleFacts(seed);
        expect(factsOf(factColumnsOf(facts))).toEqual(facts);
      }),
    );
  });
});
