// Random completed orders for the tests of their stored forms (completion columns, the packed
// form): locations over a few files, so files repeat as in a real group.
import fc from 'fast-check';
import type { OrderCompletion } from '../../../src/domain/order-completion.types.js';

export const location = fc.record({
  key: fc.constantFrom('incoming/a.csv', 'incoming/b.csv', 'incoming/c.csv'),
  stagedKey: fc.constantFrom('staging/orders/1.parquet', 'staging/order_items/2.parquet'),
  hash: fc.stringMatching(/^[0-9a-f]{1,16}$/),
});

/** createdAt: any epoch ms, or also NaN (an order whose created_at is unknown) */
export const completedOrder = (withNaN: boolean): fc.Arbitrary<OrderCompletion> => {
  const ms = fc.integer({ min: -8.64e15, max: 8.64e15 });
  return fc.record({
    orderId: fc.string(),
    fingerprint: fc.stringMatching(/^[0-9a-f]{16}$/),
    createdAt: withNaN ? fc.oneof(ms, fc.constant(Number.NaN)) : ms,
    order: location,
    items: fc.array(location, { maxLength: 5 }),
    products: fc.array(location, { maxLength: 5 }),
  });
};
