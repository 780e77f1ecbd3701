// totalKpisOfColumns (the fact store's totals of the facts it just wrote) against the domain's
// totalKpis: random facts in any order (an order's facts apart, numeric and other ids, NULL, ''
// and a literal '(none)' category, sums beyond 2^53 cents), an order on two days and more
// categories than the fast path's bits (both answered by totalKpis itself).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { totalKpisOfColumns } from '../../../src/domain/kpi/column-totals.js';
import { NO_CATEGORY, totalKpis } from '../../../src/domain/kpi/compute-kpis.js';
import { factColumnsOf } from '../../../src/domain/kpi/fact-columns.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

const orderArb = fc.record({
  id: fc.oneof(fc.nat({ max: 20 }).map(String), fc.constantFrom('o1', 'o-2', '007', '')),
  user: fc.constantFrom('u1', 'u2', '3', '4'),
  status: fc.constantFrom('delivered', 'returned', 'shipped'),
  day: fc.nat({ max: 3 }),
});
const factsArb = fc
  .tuple(
    fc.uniqueArray(orderArb, { selector: (o) => o.id, minLength: 1, maxLength: 12 }),
    fc.array(
      fc.record({
        order: fc.nat(),
        category: fc.constantFrom<string | null>('Books', 'Toys', '', null, NO_CATEGORY),
        cents: fc.oneof(
          fc.integer({ min: -1000, max: 1_000_000 }),
          fc.constant(Number.MAX_SAFE_INTEGER - 7),
        ),
      }),
      { maxLength: 60 },
    ),
  )
  .map(([orders, items]): Fact[] =>
    items.map((item, i) => {
      const o = orders[item.order % orders.length] as (typeof orders)[number];
      return {
        itemId: `i${i}`,
        orderId: o.id,
        userId: o.user,
        orderStatus: o.status,
        orderCreatedAt: START + o.day * DAY + i * 1000,
        productId: 'p1',
        category: item.category,
        salePriceCents: item.cents,
      };
    }),
  );

const fact = (orderId: string, day: number, category: string | null, cents = 100): Fact => ({
  itemId: `${orderId}-${day}-${category}`,
  orderId,
  userId: 'u1',
  orderStatus: 'returned',
  orderCreatedAt: START + day * DAY,
  productId: 'p1',
  category,
  salePriceCents: cents,
});

describe('totalKpisOfColumns', () => {
  it('equals totalKpis of the same facts, in any order', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        expect(totalKpisOfColumns(factColumnsOf(facts))).toEqual(totalKpis(facts));
      }),
      { numRuns: 300 },
    );
  });

  it('equals totalKpis where an order has facts on two days', () => {
    const facts = [fact('1', 0, 'A'), fact('1', 1, 'A'), fact('2', 1, 'B')];
    expect(totalKpisOfColumns(factColumnsOf(facts))).toEqual(totalKpis(facts));
  });

  it('equals totalKpis with more categories than an order has bits for', () => {
    const facts = Array.from({ length: 40 }, (_, i) => fact(String(i % 3), i % 2, `c${i}`));
    expect(totalKpisOfColumns(factColumnsOf(facts))).toEqual(totalKpis(facts));
  });

  it('equals totalKpis over more days than a customer has bits for', () => {
    // customers on many days each, an order per (customer, day) and some twice a day: the days
    // beyond 32 number (customer, day) pairs instead of setting a customer's day bits
    for (const dayCount of [31, 32, 33, 40]) {
      const facts = Array.from({ length: 300 }, (_, i): Fact => ({
        ...fact(String(i % 150), 0, i % 3 === 0 ? 'A' : 'B'),
        itemId: `i${i}`,
        userId: `u${i % 7}`,
        orderCreatedAt: START + ((i % 150) % dayCount) * DAY,
      }));
      expect(totalKpisOfColumns(factColumnsOf(facts))).toEqual(totalKpis(facts));
    }
  });

  it('sums beyond 2^53 cents exactly', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const facts = [fact('1', 0, 'A', big), fact('2', 0, 'A', big), fact('3', 0, 'A', 3)];
    const totals = totalKpisOfColumns(factColumnsOf(facts));
    expect(totals.days[0]?.revenueCents).toBe(2n * BigInt(big) + 3n);
    expect(totals).toEqual(totalKpis(facts));
  });

  it('throws on a cents value that is not an integer, as totalKpis does', () => {
    const facts = [fact('1', 0, 'A', Number.NaN)];
    expect(() => totalKpis(facts)).toThrow(RangeError);
    expect(() => totalKpisOfColumns(factColumnsOf(facts))).toThrow(RangeError);
  });
});
