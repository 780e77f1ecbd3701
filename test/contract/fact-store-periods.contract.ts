// The period roll-ups a FactStore aggregates where the facts are (SQL GROUP BY over a date ->
// period map, DynamoDB per-order rows under their period, the domain function in memory) equal
// the specification, rollUpTotals over the current facts, for days, ISO weeks, months and a
// whole selection. The dates run from Sunday 2024-01-28 to Monday 2024-02-05: three weeks and
// two months meet in them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utcDate } from '../../src/domain/dates.js';
import { rollUpTotals, type RollUp } from '../../src/domain/kpi/kpi-periods.js';
import { factColumnsOf } from '../../src/domain/kpi/fact-columns.js';
import type { Fact } from '../../src/domain/kpi/kpi.types.js';
import type { FactStoreFactory } from './fact-store.contract.js';

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 28);
const at = (day: number, minute: number) => START + day * DAY + minute * 60_000;
const DATES = Array.from({ length: 9 }, (_, d) => utcDate(at(d, 0)));
const ROLL_UPS: readonly RollUp[] = ['day', 'week', 'month', 'all'];

const fact = (orderId: string, itemId: string, extra: Partial<Fact>): Fact => ({
  itemId,
  orderId,
  userId: 'u1',
  orderStatus: 'delivered',
  orderCreatedAt: at(1, 600),
  productId: 'p1',
  category: 'Jeans',
  salePriceCents: 1000,
  ...extra,
});

const orderArb = fc.record({
  // '7' and '07' are two customers (a store may keep the first as a number)
  user: fc.constantFrom('u1', 'u2', '7', '07'),
  status: fc.constantFrom('delivered', 'returned'),
  // first and last minutes of a day: UTC date boundaries
  createdAt: fc.tuple(fc.nat(8), fc.constantFrom(0, 1439)).map(([d, m]) => at(d, m)),
  items: fc.array(
    fc.record({
      category: fc.constantFrom<string | null>('Jeans', 'Tops', null),
      cents: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.constant(4_611_686_018_427_387)),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});
const factsArb = fc.array(orderArb, { minLength: 1, maxLength: 10 }).map((orders) =>
  orders.flatMap((o, n) =>
    o.items.map((it, i) =>
      fact(`o${n}`, `o${n}-i${i}`, {
        userId: o.user,
        orderStatus: o.status,
        orderCreatedAt: o.createdAt,
        category: it.category,
        salePriceCents: it.cents,
      }),
    ),
  ),
);

export function describeFactStorePeriods(
  adapterName: string,
  factory: FactStoreFactory,
  runs: number,
) {
  describe(`FactStore period totals: ${adapterName}`, () => {
    it('counts a customer and an order once per week or month, not once per day', async () => {
      const { port, cleanup } = await factory();
      try {
        const facts = [
          fact('o1', 'i1', { orderCreatedAt: at(1, 600), salePriceCents: 1000 }), // Mon 01-29
          fact('o2', 'i2', { orderCreatedAt: at(2, 600), salePriceCents: 3000 }), // Tue 01-30
          fact('o3', 'i3', { orderCreatedAt: at(4, 600), userId: 'u2', category: 'Tops' }), // Thu
        ];
        await port.replaceOrders(
          ['o1', 'o2', 'o3'],
          factColumnsOf([
            ...facts.slice(0, 1),
            { ...(facts[1] as Fact), orderStatus: 'returned' },
            ...facts.slice(2),
          ]),
        );
        const week = await port.periodTotals(DATES, 'week');
        expect(week.days).toEqual([
          {
            date: '2024-01-29',
            orders: 3,
            items: 3,
            revenueCents: 5000n,
            returnedOrders: 1,
            customers: 2,
          },
        ]);
        expect(week.categories.find((c) => c.category === 'Jeans')).toEqual({
          category: 'Jeans',
          date: '2024-01-29',
          revenueCents: 4000n,
          orders: 2,
          returnedOrders: 1,
        });
        const month = await port.periodTotals(DATES, 'month');
        expect(month.days.map((d) => [d.date, d.orders, d.customers])).toEqual([
          ['2024-01-01', 2, 1],
          ['2024-02-01', 1, 1],
        ]);
        const all = await port.periodTotals(['2024-01-30', '2024-02-01', 'x'], 'all');
        expect(all.days.map((d) => [d.date, d.orders, d.customers, d.revenueCents])).toEqual([
          ['2024-01-30', 2, 2, 4000n],
        ]);
      } finally {
        await cleanup();
      }
    });

    it('equals rollUpTotals of the current facts for days, weeks, months and all', async () => {
      await fc.assert(
        fc.asyncProperty(
          factsArb,
          fc.subarray(DATES, { minLength: 1 }),
          async (facts, selection) => {
            const { port, cleanup } = await factory();
            try {
              await port.replaceOrders(
                [...new Set(facts.map((f) => f.orderId))],
                factColumnsOf(facts),
              );
              for (const by of ROLL_UPS) {
                expect(await port.periodTotals(selection, by), by).toEqual(
                  rollUpTotals(facts, selection, by),
                );
              }
            } finally {
              await cleanup();
            }
          },
        ),
        { numRuns: runs },
      );
    }, 600_000);
  });
}
