// The per-order rows DynamoDB aggregates add up to the specification (totalKpis).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { totalKpis } from '../../../src/domain/kpi/compute-kpis.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';
import {
  contributionsOf,
  totalsOfContributions,
} from '../../../src/domain/kpi/order-contributions.js';

const DAY = 86_400_000;
const START = Date.UTC(2025, 2, 1);
const orderArb = fc.record({
  user: fc.constantFrom('u1', 'u2', 'u3'),
  status: fc.constantFrom('delivered', 'returned', 'shipped'),
  createdAt: fc.integer({ min: START, max: START + 3 * DAY - 1 }),
});
const factsArb = fc
  .tuple(
    fc.array(orderArb, { minLength: 1, maxLength: 8 }),
    fc.array(
      fc.record({
        order: fc.nat(),
        category: fc.constantFrom<string | null>('Books', 'Toys', '', null),
        cents: fc.integer({ min: -1000, max: 1_000_000 }),
      }),
      { maxLength: 40 },
    ),
  )
  .map(([orders, items]) =>
    items.map((it, i): Fact => {
      const n = it.order % orders.length;
      const o = orders[n] as (typeof orders)[number];
      return {
        itemId: `i${i}`,
        orderId: `o${n}`,
        userId: o.user,
        orderStatus: o.status,
        orderCreatedAt: o.createdAt,
        productId: 'p',
        category: it.category,
        salePriceCents: it.cents,
      };
    }),
  );

describe('order contributions', () => {
  it('sum to totalKpis of the facts they were made from', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        expect(totalsOfContributions(contributionsOf(facts))).toEqual(totalKpis(facts));
      }),
    );
  });

  it('make one row per order, whatever the number of its items', () => {
    const f = (itemId: string, category: string): Fact => ({
      itemId,
      orderId: 'o1',
      userId: 'u1',
      orderStatus: 'returned',
      orderCreatedAt: START,
      productId: 'p',
      category,
      salePriceCents: 150,
    });
    expect(contributionsOf([f('a', 'Toys'), f('b', 'Toys'), f('c', 'Books')])).toEqual([
      {
        orderId: 'o1',
        date: '2025-03-01',
        userId: 'u1',
        returned: true,
        items: 3,
        revenueCents: 450n,
        categories: new Map([
          ['Toys', 300n],
          ['Books', 150n],
        ]),
      },
    ]);
  });
});
