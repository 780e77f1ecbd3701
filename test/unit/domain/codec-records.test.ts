import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { OrderC, OrderItemC, ProductC } from '../../../src/domain/records.codec.js';

const order = {
  order_id: '1',
  user_id: '7',
  status: 'returned',
  created_at: Date.parse('2025-03-01T10:00:00Z'),
  returned_at: null,
  shipped_at: null,
  delivered_at: null,
  num_of_item: 2,
};
const orderItem = {
  id: '10',
  order_id: '1',
  user_id: '7',
  product_id: '3',
  status: 'Returned',
  created_at: null,
  shipped_at: null,
  delivered_at: null,
  returned_at: null,
  sale_price: 1999,
};
const prod = {
  id: '3',
  sku: 'S',
  cost: 500,
  category: null,
  name: 'Lamp',
  brand: 'Acme',
  retail_price: 1999,
  department: 'Home',
};

describe('record codecs', () => {
  it('accepts well-typed records', () => {
    expect(OrderC.decode(order)).toEqual(E.right(order));
    expect(OrderItemC.decode(orderItem)).toEqual(E.right(orderItem));
    expect(ProductC.decode(prod)).toEqual(E.right(prod));
  });

  it('rejects an unknown order status, a null required field and fractional cents', () => {
    expect(E.isLeft(OrderC.decode({ ...order, status: 'lost' }))).toBe(true);
    expect(E.isLeft(OrderC.decode({ ...order, created_at: null }))).toBe(true);
    expect(E.isLeft(OrderItemC.decode({ ...orderItem, sale_price: 19.99 }))).toBe(true);
    expect(E.isLeft(ProductC.decode({ ...prod, name: null }))).toBe(true);
  });

  it('rejects timestamps given as text (they are epoch ms)', () => {
    expect(E.isLeft(OrderC.decode({ ...order, created_at: '2025-03-01T10:00:00Z' }))).toBe(true);
  });
});
