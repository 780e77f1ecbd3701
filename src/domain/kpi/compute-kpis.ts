// The KPI aggregates of spec section 4, as the readable specification: every store's own
// aggregation (SQL GROUP BY, DynamoDB per-order rows) is proven equal to totalKpis by a property
// test. Money is accumulated in integer cents (bigint, so no sum can outgrow a double's integers)
// and divided only when reported, so 0.10 + 0.20 is 0.30 exactly. Accumulators are keyed by UTC
// day number (not by a formatted date) so the loop allocates no strings per fact.
import { dayNumberToDate, utcDayNumber } from '../dates.js';
import { kpisFromTotals, sortTotals } from './kpi-totals.js';
import type { CategoryTotals, DayTotals, Fact, KpiSet, KpiTotals } from './kpi.types.js';

/** Category reported for products whose category is empty: their revenue still counts in the
 *  day's total, so it must land in some category row for the categories to add up. */
export const NO_CATEGORY = '(none)';

interface OrderAcc {
  returned: boolean;
  readonly userId: string;
}

interface CategoryAcc {
  cents: bigint;
  readonly orders: Set<string>;
}

interface DayAcc {
  cents: bigint;
  items: number;
  readonly orders: Map<string, OrderAcc>;
  readonly categories: Map<string, CategoryAcc>;
}

const returnedAmong = (orderIds: Iterable<string>, orders: Map<string, OrderAcc>): number => {
  let returned = 0;
  for (const id of orderIds) if (orders.get(id)?.returned === true) returned++;
  return returned;
};

export const totalKpis = (facts: Iterable<Fact>): KpiTotals => {
  const days = new Map<number, DayAcc>();
  for (const f of facts) {
    const dayNo = utcDayNumber(f.orderCreatedAt);
    let day = days.get(dayNo);
    if (day === undefined) {
      day = { cents: 0n, items: 0, orders: new Map(), categories: new Map() };
      days.set(dayNo, day);
    }
    const cents = BigInt(f.salePriceCents);
    day.cents += cents;
    day.items += 1;
    const returned = f.orderStatus === 'returned';
    const order = day.orders.get(f.orderId);
    // facts of one order agree on its status; `||` keeps the result independent of fact order
    if (order === undefined) day.orders.set(f.orderId, { returned, userId: f.userId });
    else order.returned ||= returned;
    const category = f.category ?? NO_CATEGORY;
    let cat = day.categories.get(category);
    if (cat === undefined) {
      cat = { cents: 0n, orders: new Set() };
      day.categories.set(category, cat);
    }
    cat.cents += cents;
    cat.orders.add(f.orderId);
  }

  const out: DayTotals[] = [];
  const categories: CategoryTotals[] = [];
  for (const [dayNo, day] of days) {
    const date = dayNumberToDate(dayNo);
    const users = new Set<string>();
    for (const o of day.orders.values()) users.add(o.userId);
    out.push({
      date,
      orders: day.orders.size,
      items: day.items,
      revenueCents: day.cents,
      returnedOrders: returnedAmong(day.orders.keys(), day.orders),
      customers: users.size,
    });
    for (const [name, cat] of day.categories) {
      categories.push({
        category: name,
        date,
        revenueCents: cat.cents,
        orders: cat.orders.size,
        returnedOrders: returnedAmong(cat.orders, day.orders),
      });
    }
  }
  return sortTotals({ days: out, categories });
};

export const computeKpis = (facts: Iterable<Fact>): KpiSet => kpisFromTotals(totalKpis(facts));
