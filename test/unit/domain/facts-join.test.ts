import { describe, expect, it } from 'vitest';
import { joinFacts } from '../../../src/domain/kpi/join-facts.js';
import { item, ms, order, product, sourced } from './facts-fixtures.js';

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
    expect(facts).toEqual([
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
    expect(facts).toEqual([]);
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
    expect(facts.map((f) => [f.itemId, f.salePriceCents])).toEqual([['I1', 150]]);
  });

  it('treats an item without sale_price as adding no revenue', () => {
    const items = [
      sourced('i.csv', 'order_items', [{ ...item('I1', 'O1', 'U1', 'P1', 0), sale_price: null }]),
    ];
    expect(joinFacts({ orders, products, items }).facts[0]?.salePriceCents).toBe(0);
  });
});
