import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeKpis } from '../../../src/domain/kpi/compute-kpis.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';

const DAY = 86_400_000;
const START = Date.parse('2025-03-01T00:00:00Z');

const orderArb = fc.record({
  user: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
  status: fc.constantFrom('delivered', 'returned', 'cancelled', 'shipped', 'processing'),
  createdAt: fc.integer({ min: START, max: START + 4 * DAY - 1 }),
});
const itemArb = fc.record({
  order: fc.nat(),
  category: fc.constantFrom<string | null>('Books', 'Toys', 'Beauty', null),
  cents: fc.integer({ min: 0, max: 1_000_000 }),
});

/** facts whose items agree with their order, as the join produces them */
const factsArb: fc.Arbitrary<Fact[]> = fc
  .tuple(fc.array(orderArb, { minLength: 1, maxLength: 12 }), fc.array(itemArb, { maxLength: 60 }))
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
        productId: `p${i % 5}`,
        category: it.category,
        salePriceCents: it.cents,
      };
    }),
  );

const shuffled = <T>(xs: readonly T[], keys: readonly number[]): T[] =>
  xs
    .map((x, i) => ({ x, k: keys[i % Math.max(1, keys.length)] ?? 0, i }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((e) => e.x);

const cents = (amount: number): number => Math.round(amount * 100);

describe('computeKpis properties', () => {
  it('does not depend on the order facts arrive in', () => {
    fc.assert(
      fc.property(factsArb, fc.array(fc.integer(), { minLength: 1 }), (facts, keys) => {
        expect(computeKpis(shuffled(facts, keys))).toEqual(computeKpis(facts));
        expect(computeKpis([...facts].reverse())).toEqual(computeKpis(facts));
      }),
    );
  });

  it("adds the categories' daily revenue up to the day's total revenue, in cents", () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const kpis = computeKpis(facts);
        for (const day of kpis.order) {
          const sum = kpis.category
            .filter((c) => c.order_date === day.order_date)
            .reduce((s, c) => s + cents(c.daily_revenue), 0);
          expect(sum).toBe(cents(day.total_revenue));
        }
        const total = kpis.order.reduce((s, d) => s + cents(d.total_revenue), 0);
        expect(total).toBe(facts.reduce((s, f) => s + f.salePriceCents, 0));
      }),
    );
  });

  it('keeps rates in [0, 1] and counts every item once', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const kpis = computeKpis(facts);
        for (const d of kpis.order) {
          expect(d.return_rate).toBeGreaterThanOrEqual(0);
          expect(d.return_rate).toBeLessThanOrEqual(1);
          expect(d.unique_customers).toBeLessThanOrEqual(d.total_orders);
        }
        for (const c of kpis.category) {
          expect(c.avg_return_rate).toBeGreaterThanOrEqual(0);
          expect(c.avg_return_rate).toBeLessThanOrEqual(1);
        }
        expect(kpis.order.reduce((s, d) => s + d.total_items_sold, 0)).toBe(facts.length);
      }),
    );
  });

  it('emits rows sorted by date, then category', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const { order, category } = computeKpis(facts);
        const dates = order.map((d) => d.order_date);
        expect(dates).toEqual([...dates].sort());
        const keys = category.map((c) => `${c.order_date}|${c.category}`);
        expect(keys).toEqual([...keys].sort());
      }),
    );
  });
});
