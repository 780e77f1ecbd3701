// What one order adds to its day's KPI totals. A store that cannot GROUP BY (DynamoDB) keeps one
// such row per order under its date and sums the rows of a date: O(orders of the date) small
// rows, not every fact. Distinct orders and customers stay exact because an order is one row.
import { utcDate } from '../dates.js';
import { NO_CATEGORY } from './compute-kpis.js';
import { sortTotals } from './kpi-totals.js';
import type { CategoryTotals, DayTotals, Fact, KpiTotals } from './kpi.types.js';

export interface OrderContribution {
  readonly orderId: string;
  /** YYYY-MM-DD (UTC) of the order */
  readonly date: string;
  readonly userId: string;
  readonly returned: boolean;
  readonly items: number;
  readonly revenueCents: bigint;
  /** revenue per category of the order's items (NO_CATEGORY for none) */
  readonly categories: ReadonlyMap<string, bigint>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** one contribution per order of the facts (an order's facts share its date and status) */
export const contributionsOf = (facts: Iterable<Fact>): OrderContribution[] => {
  const byOrder = new Map<
    string,
    Mutable<OrderContribution> & { categories: Map<string, bigint> }
  >();
  for (const f of facts) {
    let c = byOrder.get(f.orderId);
    if (c === undefined) {
      c = {
        orderId: f.orderId,
        date: utcDate(f.orderCreatedAt),
        userId: f.userId,
        returned: false,
        items: 0,
        revenueCents: 0n,
        categories: new Map(),
      };
      byOrder.set(f.orderId, c);
    }
    const cents = BigInt(f.salePriceCents);
    const name = f.category ?? NO_CATEGORY;
    c.categories.set(name, (c.categories.get(name) ?? 0n) + cents);
    c.returned ||= f.orderStatus === 'returned';
    c.items += 1;
    c.revenueCents += cents;
  }
  return [...byOrder.values()];
};

/** the totals of the days the contributions are under */
export const totalsOfContributions = (contributions: Iterable<OrderContribution>): KpiTotals => {
  const days = new Map<string, DayTotals & { users: Set<string> }>();
  const categories = new Map<string, CategoryTotals>();
  for (const c of contributions) {
    const d = days.get(c.date) ?? {
      date: c.date,
      orders: 0,
      items: 0,
      revenueCents: 0n,
      returnedOrders: 0,
      customers: 0,
      users: new Set<string>(),
    };
    d.users.add(c.userId);
    days.set(c.date, {
      ...d,
      orders: d.orders + 1,
      items: d.items + c.items,
      revenueCents: d.revenueCents + c.revenueCents,
      returnedOrders: d.returnedOrders + (c.returned ? 1 : 0),
      customers: d.users.size,
    });
    for (const [name, cents] of c.categories) {
      const key = `${c.date}\u0000${name}`;
      const t = categories.get(key) ?? {
        category: name,
        date: c.date,
        revenueCents: 0n,
        orders: 0,
        returnedOrders: 0,
      };
      categories.set(key, {
        ...t,
        revenueCents: t.revenueCents + cents,
        orders: t.orders + 1,
        returnedOrders: t.returnedOrders + (c.returned ? 1 : 0),
      });
    }
  }
  return sortTotals({
    days: [...days.values()].map(({ users: _users, ...d }) => d),
    categories: [...categories.values()],
  });
};
