// Completed orders as columns (the reference index's answer and the group manifest): converting
// from the decider's shape and back gives equal orders, the JSON round-trips, each file is listed
// once, and a malformed value is refused with the reason.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  completionColumnsJson,
  completionColumnsOf,
  completionCount,
  completionsOf,
  decodeCompletionColumns,
} from '../../../src/domain/completion-columns.js';
import type { OrderCompletion } from '../../../src/domain/order-completion.types.js';

const location = fc.record({
  key: fc.constantFrom('incoming/a.csv', 'incoming/b.csv', 'incoming/c.csv'),
  stagedKey: fc.constantFrom('staging/orders/1.parquet', 'staging/order_items/2.parquet'),
  hash: fc.stringMatching(/^[0-9a-f]{1,16}$/),
});
const order: fc.Arbitrary<OrderCompletion> = fc.record({
  orderId: fc.string(),
  fingerprint: fc.stringMatching(/^[0-9a-f]{16}$/),
  createdAt: fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.constant(Number.NaN)),
  order: location,
  items: fc.array(location, { maxLength: 5 }),
  products: fc.array(location, { maxLength: 5 }),
});

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
    const json = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
    expect(decodeCompletionColumns(json)).not.toBeInstanceOf(Error);
    const badFile = { ...json, items: { file: [1], hash: ['i'] } };
    expect(String(decodeCompletionColumns(badFile))).toMatch(/items must be/);
    const badStart = { ...json, itemStart: [0, 2] };
    expect(String(decodeCompletionColumns(badStart))).toMatch(/itemStart must hold 2 offsets/);
    expect(String(decodeCompletionColumns({ ...json, fingerprints: [] }))).toMatch(/fingerprints/);
    expect(decodeCompletionColumns(null)).toBeInstanceOf(Error);
  });
});
