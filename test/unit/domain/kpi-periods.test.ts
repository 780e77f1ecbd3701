// Roll-ups over periods: what adds up across days (orders, items, cents, returned orders) is the
// sum of the days; what does not (distinct customers) is counted over the period's facts; a
// period starts on a Monday or a 1st and holds only dates at most 6 (or 30) days after it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utcDate } from '../../../src/domain/dates.js';
import { totalKpis } from '../../../src/domain/kpi/compute-kpis.js';
import {
  periodStart,
  periodsOf,
  rollUpTotals,
  type RollUp,
} from '../../../src/domain/kpi/kpi-periods.js';
import { totalsOfDates } from '../../../src/domain/kpi/kpi-totals.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';

const DAY = 86_400_000;
const START = Date.UTC(2024, 11, 20); // Friday: the selection crosses weeks, a month and a year
const DATES = Array.from({ length: 20 }, (_, d) => utcDate(START + d * DAY));

const factsArb = fc
  .array(
    fc.record({
      user: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
      status: fc.constantFrom('delivered', 'returned'),
      createdAt: fc.integer({ min: START, max: START + 20 * DAY - 1 }),
      items: fc.array(
        fc.record({
          category: fc.constantFrom<string | null>('Books', 'Toys', null),
          cents: fc.integer({ min: 0, max: 1_000_000 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    { maxLength: 30 },
  )
  .map((orders) =>
    orders.flatMap((o, n) =>
      o.items.map((it, i): Fact => ({
        itemId: `o${n}-${i}`,
        orderId: `o${n}`,
        userId: o.user,
        orderStatus: o.status,
        orderCreatedAt: o.createdAt,
        productId: 'p',
        category: it.category,
        salePriceCents: it.cents,
      })),
    ),
  );
const rollUpArb = fc.constantFrom<RollUp>('day', 'week', 'month', 'all');

describe('periodStart', () => {
  it('is a Monday at most 6 days before for a week, the 1st of the month for a month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), (n) => {
        const date = utcDate(n * DAY);
        const monday = periodStart(date, 'week');
        expect(new Date(`${monday}T00:00:00Z`).getUTCDay()).toBe(1);
        const back = (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${monday}T00:00:00Z`)) / DAY;
        expect(back).toBeGreaterThanOrEqual(0);
        expect(back).toBeLessThanOrEqual(6);
        expect(periodStart(date, 'month')).toBe(`${date.slice(0, 8)}01`);
        expect(periodStart(date, 'day')).toBe(date);
      }),
    );
  });

  it('maps every listed date to the first one with all, and skips what is not a date', () => {
    expect([...periodsOf(['2025-03-04', 'x', '2025-03-02', '2025-02-30'], 'all')]).toEqual([
      ['2025-03-02', '2025-03-02'],
      ['2025-03-04', '2025-03-02'],
    ]);
  });
});

describe('rollUpTotals', () => {
  it('by day is totalKpis of the listed dates', () => {
    fc.assert(
      fc.property(factsArb, fc.subarray(DATES), (facts, dates) => {
        expect(rollUpTotals(facts, dates, 'day')).toEqual(totalsOfDates(totalKpis(facts), dates));
      }),
    );
  });

  it('adds up days where counts add up and counts customers over the whole period', () => {
    fc.assert(
      fc.property(factsArb, fc.subarray(DATES), rollUpArb, (facts, dates, by) => {
        const periods = periodsOf(dates, by);
        const days = totalsOfDates(totalKpis(facts), dates);
        const rolled = rollUpTotals(facts, dates, by);
        expect(rolled.days.map((p) => p.date)).toEqual([
          ...new Set(days.days.map((d) => periods.get(d.date))),
        ]);
        for (const p of rolled.days) {
          const inP = days.days.filter((d) => periods.get(d.date) === p.date);
          const sum = (f: (d: (typeof inP)[number]) => number) => inP.reduce((s, d) => s + f(d), 0);
          expect(p.orders).toBe(sum((d) => d.orders));
          expect(p.items).toBe(sum((d) => d.items));
          expect(p.returnedOrders).toBe(sum((d) => d.returnedOrders));
          expect(p.revenueCents).toBe(inP.reduce((s, d) => s + d.revenueCents, 0n));
          const users = facts
            .filter((f) => periods.get(utcDate(f.orderCreatedAt)) === p.date)
            .map((f) => f.userId);
          expect(p.customers).toBe(new Set(users).size);
          expect(p.customers).toBeLessThanOrEqual(sum((d) => d.customers));
        }
        for (const c of rolled.categories) {
          const inP = days.categories.filter(
            (d) => d.category === c.category && periods.get(d.date) === c.date,
          );
          // an order has one date, so its period's distinct orders are the days' orders summed
          expect(c.orders).toBe(inP.reduce((s, d) => s + d.orders, 0));
          expect(c.returnedOrders).toBe(inP.reduce((s, d) => s + d.returnedOrders, 0));
          expect(c.revenueCents).toBe(inP.reduce((s, d) => s + d.revenueCents, 0n));
        }
      }),
    );
  });
});
