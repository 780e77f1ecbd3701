// The KPI totals a FactStore aggregates where the facts are (SQL GROUP BY, DynamoDB per-order
// rows, the domain function in memory) equal the specification, totalKpis over every current
// fact, after any history of replaces: orders re-delivered with new content, moved to another
// date, items moved between orders, orders removed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utcDate } from '../../src/domain/dates.js';
import { totalKpis } from '../../src/domain/kpi/compute-kpis.js';
import { totalsOfDates } from '../../src/domain/kpi/kpi-totals.js';
import { factColumnsOf } from '../../src/domain/kpi/fact-columns.js';
import type { Fact } from '../../src/domain/kpi/kpi.types.js';
import type { FactStoreFactory } from './fact-store.contract.js';

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);
const at = (day: number, minute: number) => START + day * DAY + minute * 60_000;

const fact = (orderId: string, itemId: string, cents: number, extra: Partial<Fact> = {}): Fact => ({
  itemId,
  orderId,
  userId: `u-${orderId}`,
  orderStatus: 'delivered',
  orderCreatedAt: at(0, 600),
  productId: 'p1',
  category: 'Jeans',
  salePriceCents: cents,
  ...extra,
});

// ids as shops write them: text, and decimals a store may keep as numbers (the SQLite facts
// do, schema step 13), beside look-alikes that are other ids ('7' and '07', '-0', ' 3', '1e3')
const orderArb = fc.record({
  id: fc.constantFrom('o1', 'o2', '3', '03', '-4', '123456789012345', '1234567890123456'),
  user: fc.constantFrom('u1', '7', '07', '-7', '7.0'),
  status: fc.constantFrom('delivered', 'returned', 'shipped'),
  // first and last minutes of a day: UTC date boundaries
  createdAt: fc.tuple(fc.nat(2), fc.constantFrom(0, 1, 720, 1439)).map(([d, m]) => at(d, m)),
});
const itemArb = fc.record({
  id: fc.constantFrom('i1', 'i2', '1', '01', '0', '-0', '3', ' 3', '1e3', '-12'),
  order: fc.nat(),
  product: fc.constantFrom('p1', '5', '05'),
  category: fc.constantFrom<string | null>('Jeans', 'Tops', '', 'Ünï', null),
  cents: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.constant(4_611_686_018_427_387)),
});
/** one replace: its orders (some given no items: removed) and their items, as a join makes them */
const stepArb = fc
  .tuple(fc.array(orderArb, { minLength: 1, maxLength: 3 }), fc.array(itemArb, { maxLength: 6 }))
  .map(([orders, items]) => {
    const byId = new Map(orders.map((o) => [o.id, o]));
    const list = [...byId.values()];
    const facts = items.map((it): Fact => {
      const o = list[it.order % list.length] as (typeof list)[number];
      return {
        itemId: it.id,
        orderId: o.id,
        userId: o.user,
        orderStatus: o.status,
        orderCreatedAt: o.createdAt,
        productId: it.product,
        category: it.category,
        salePriceCents: it.cents,
      };
    });
    // one fact per item id, the last version winning, as joinFacts makes them
    const byItem = new Map(facts.map((f) => [f.itemId, f]));
    return { orderIds: [...byId.keys()], facts: [...byItem.values()] };
  });

/** the FactStore's replace rule, on a map of facts by item id; returns the dates it touches */
const replaceInModel = (model: Map<string, Fact>, orderIds: string[], facts: Fact[]): string[] => {
  const orders = new Set([...orderIds, ...facts.map((f) => f.orderId)]);
  const dates = new Set(facts.map((f) => utcDate(f.orderCreatedAt)));
  for (const [id, f] of model) {
    // an order replaced as a whole, or an item moving in from another order
    const moved = facts.some((n) => n.itemId === id);
    if (orders.has(f.orderId) || moved) dates.add(utcDate(f.orderCreatedAt));
    if (orders.has(f.orderId)) model.delete(id);
  }
  for (const f of facts) model.set(f.itemId, f);
  return [...dates].sort();
};
const byItemId = (a: Fact, b: Fact) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0);

const DATES = [0, 1, 2].map((d) => utcDate(at(d, 0)));

export function describeFactStoreKpis(
  adapterName: string,
  factory: FactStoreFactory,
  runs: number,
) {
  describe(`FactStore KPI totals: ${adapterName}`, () => {
    it('sums cents exactly: 0.10 + 0.20 is 30 cents, and beyond 2^53 cents', async () => {
      const { port, cleanup } = await factory();
      try {
        await port.replaceOrders(
          ['o1', 'o2'],
          factColumnsOf([
            fact('o1', 'i1', 10),
            fact('o1', 'i2', 20),
            fact('o2', 'i3', 4_611_686_018_427_387, { category: 'Tops' }),
            fact('o2', 'i4', 4_611_686_018_427_388, { category: 'Tops' }),
          ]),
        );
        const totals = await port.kpiTotals([DATES[0] as string]);
        expect(totals.days.map((d) => d.revenueCents)).toEqual([9_223_372_036_854_805n]);
        expect(totals.categories.map((c) => [c.category, c.revenueCents])).toEqual([
          ['Jeans', 30n],
          ['Tops', 9_223_372_036_854_775n],
        ]);
      } finally {
        await cleanup();
      }
    });

    it('equals totalKpis, and the model facts and touched dates, after any history of replaces', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
          const { port, cleanup } = await factory();
          try {
            const model = new Map<string, Fact>();
            for (const { orderIds, facts } of steps) {
              // the same columns to both, as the Transform passes them (a store may reuse what
              // touchedBy found)
              const columns = factColumnsOf(facts);
              const touched = await port.touchedBy(orderIds, columns);
              const replaced = await port.replaceOrders(orderIds, columns);
              const expectedDates = replaceInModel(model, orderIds, facts);
              expect(touched).toEqual(expectedDates);
              expect(replaced).toEqual(expectedDates);
              // the touched dates' totals right after the replace (a store may answer them from
              // the facts it just wrote)
              const onDates = [...model.values()].filter((f) =>
                expectedDates.includes(utcDate(f.orderCreatedAt)),
              );
              expect(await port.kpiTotals(expectedDates)).toEqual(totalKpis(onDates));
            }
            expect([...(await port.forDates(DATES))].sort(byItemId)).toEqual(
              [...model.values()].sort(byItemId),
            );
            const expected = totalKpis(model.values());
            expect(await port.kpiTotals(DATES)).toEqual(expected);
            expect(await port.kpiTotals([DATES[1] as string, 'x'])).toEqual(
              totalsOfDates(expected, [DATES[1] as string]),
            );
            expect(await port.count()).toBe(model.size);
          } finally {
            await cleanup();
          }
        }),
        { numRuns: runs },
      );
    }, 600_000);
  });
}
