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
} from '../../../src/domain/completion-columns.js';

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
});
