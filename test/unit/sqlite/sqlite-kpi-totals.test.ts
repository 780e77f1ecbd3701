// kpiTotalsQuery's two forms, the one pass along the facts key (up to maxCategories categories)
// and the two GROUP BY queries (above it), against the domain's totalKpis over the facts the store
// holds: the cases the one pass could get wrong (an order in several categories, two items of one
// order in one category, returned orders, a customer on two days, NULL, '' and a literal '(none)'
// category, an item moved to another order) and random facts with more categories than the limit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDb } from '../../../src/adapters/sqlite/sqlite-database.js';
import { SqliteFactStore } from '../../../src/adapters/sqlite/sqlite-fact-store.js';
import { kpiTotalsQuery } from '../../../src/adapters/sqlite/sqlite-kpi-totals.js';
import { utcDate } from '../../../src/domain/dates.js';
import { totalKpis } from '../../../src/domain/kpi/compute-kpis.js';
import { factColumnsOf } from '../../../src/domain/kpi/fact-columns.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);
const DATES = [0, 1, 2].map((d) => utcDate(START + d * DAY));

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const freshDb = (): SqliteDb => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-totals-'));
  dirs.push(dir);
  return openSqlite(join(dir, 'state.db'));
};

/** both forms of the query, and the domain's totals of every fact the store holds */
const totalsThreeWays = async (db: SqliteDb, store: SqliteFactStore, dates: string[]) => ({
  onePass: kpiTotalsQuery(db)(dates),
  groupBy: kpiTotalsQuery(db, { maxCategories: 0 })(dates),
  domain: totalKpis(await store.forDates(dates)),
});

const fact = (
  orderId: string,
  itemId: string,
  cents: number,
  category: string | null,
  extra: Partial<Fact> = {},
): Fact => ({
  itemId,
  orderId,
  userId: 'u1',
  orderStatus: 'delivered',
  orderCreatedAt: START + 600_000,
  productId: 'p1',
  category,
  salePriceCents: cents,
  ...extra,
});

describe('kpiTotalsQuery', () => {
  it('one pass and GROUP BY equal totalKpis on the cases a per-order pass could get wrong', async () => {
    const db = freshDb();
    const store = new SqliteFactStore(db);
    const returned = { orderStatus: 'returned', userId: 'u2' };
    const nextDay = { orderCreatedAt: START + DAY + 5, userId: 'u2' };
    await store.replaceOrders(
      ['o1', 'o2', 'o3', 'o4'],
      factColumnsOf([
        // o1: three categories, two items in Jeans, returned
        fact('o1', 'i1', 100, 'Jeans', returned),
        fact('o1', 'i2', 200, 'Jeans', returned),
        fact('o1', 'i3', 300, 'Tops', returned),
        fact('o1', 'i4', 0, null, returned),
        // o2: the same customer u1 as o3, a literal '(none)' category (one row with NULL's) and ''
        fact('o2', 'i5', 50, '(none)'),
        fact('o2', 'i6', 60, ''),
        fact('o3', 'i7', 70, 'Tops'),
        // o4: customer u2 again, on the next day
        fact('o4', 'i8', 80, 'Jeans', nextDay),
      ]),
    );
    // i3 moves to o5 (next day); o1 keeps its other items
    await store.replaceOrders(['o5'], factColumnsOf([fact('o5', 'i3', 300, 'Tops', nextDay)]));
    const t = await totalsThreeWays(db, store, DATES);
    expect(t.onePass).toEqual(t.domain);
    expect(t.groupBy).toEqual(t.domain);
    expect(
      t.onePass.days.map((d) => [d.date, d.orders, d.items, d.returnedOrders, d.customers]),
    ).toEqual([
      ['2024-01-01', 3, 6, 1, 2],
      ['2024-01-02', 2, 2, 0, 1],
    ]);
    expect(
      t.onePass.categories.map((c) => [
        c.date,
        c.category,
        c.orders,
        c.returnedOrders,
        c.revenueCents,
      ]),
    ).toEqual([
      ['2024-01-01', '', 1, 0, 60n],
      ['2024-01-01', '(none)', 2, 1, 50n],
      ['2024-01-01', 'Jeans', 1, 1, 300n],
      ['2024-01-01', 'Tops', 1, 0, 70n],
      ['2024-01-02', 'Jeans', 1, 0, 80n],
      ['2024-01-02', 'Tops', 1, 0, 300n],
    ]);
    // a date without facts and a date that is not one give no rows, as before
    expect(kpiTotalsQuery(db)(['2023-01-01', 'x'])).toEqual({ days: [], categories: [] });
    db.close();
  });

  const orderArb = fc.record({
    user: fc.constantFrom('u1', 'u2', 'u3'),
    status: fc.constantFrom('delivered', 'returned', 'shipped'),
    day: fc.nat(2),
    minute: fc.constantFrom(0, 1, 720, 1439),
  });
  const itemArb = fc.record({
    order: fc.nat(7),
    // more names than the limit below (3), so both forms run
    category: fc.constantFrom<string | null>('A', 'B', 'C', 'D', 'E', '', '(none)', 'Ünï', null),
    cents: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.constant(4_611_686_018_427_387)),
  });

  it('one pass, GROUP BY and the limit between them equal totalKpis over random facts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(orderArb, { minLength: 1, maxLength: 8 }),
        fc.array(itemArb, { maxLength: 24 }),
        async (orders, items) => {
          const db = freshDb();
          try {
            const store = new SqliteFactStore(db);
            const facts = items.map((it, n): Fact => {
              const o = orders[it.order % orders.length] as (typeof orders)[number];
              return fact(`o${it.order % orders.length}`, `i${n}`, it.cents, it.category, {
                userId: o.user,
                orderStatus: o.status,
                orderCreatedAt: START + o.day * DAY + o.minute * 60_000,
              });
            });
            await store.replaceOrders(
              orders.map((_, n) => `o${n}`),
              factColumnsOf(facts),
            );
            const expected = totalKpis(facts);
            expect(kpiTotalsQuery(db)(DATES)).toEqual(expected);
            expect(kpiTotalsQuery(db, { maxCategories: 0 })(DATES)).toEqual(expected);
            expect(kpiTotalsQuery(db, { maxCategories: 3 })(DATES)).toEqual(expected);
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);
});
