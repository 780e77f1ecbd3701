// The KPI aggregates of spec section 4. Money is accumulated in integer cents and divided by
// 100 only when reported, so 0.10 + 0.20 is 0.30 exactly. Accumulators are keyed by UTC day
// number (not by a formatted date) so the hot loop allocates no strings per fact.
import { dayNumberToDate, utcDayNumber } from '../dates.js';
import type { CategoryKpi, Fact, KpiSet, OrderKpi } from './kpi.types.js';

/** Category reported for products whose category is empty: their revenue still counts in the
 *  day's total, so it must land in some category row for the categories to add up. */
export const NO_CATEGORY = '(none)';

interface OrderAcc {
  returned: boolean;
  readonly userId: string;
}

interface CategoryAcc {
  cents: number;
  readonly orders: Set<string>;
}

interface DayAcc {
  cents: number;
  items: number;
  readonly orders: Map<string, OrderAcc>;
  readonly categories: Map<string, CategoryAcc>;
}

const centsToAmount = (cents: number): number => cents / 100;

/** a / b in cents, rounded half away from zero to whole cents, as an amount */
const averageAmount = (cents: number, count: number): number =>
  count === 0 ? 0 : (Math.sign(cents) * Math.round(Math.abs(cents) / count)) / 100;

const returnedShare = (orderIds: Iterable<string>, orders: Map<string, OrderAcc>): number => {
  let n = 0;
  let returned = 0;
  for (const id of orderIds) {
    n++;
    if (orders.get(id)?.returned === true) returned++;
  }
  return n === 0 ? 0 : returned / n;
};

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const computeKpis = (facts: Iterable<Fact>): KpiSet => {
  const days = new Map<number, DayAcc>();
  for (const f of facts) {
    const dayNo = utcDayNumber(f.orderCreatedAt);
    let day = days.get(dayNo);
    if (day === undefined) {
      day = { cents: 0, items: 0, orders: new Map(), categories: new Map() };
      days.set(dayNo, day);
    }
    day.cents += f.salePriceCents;
    day.items += 1;
    const returned = f.orderStatus === 'returned';
    const order = day.orders.get(f.orderId);
    // facts of one order agree on its status; `||` keeps the result independent of fact order
    if (order === undefined) day.orders.set(f.orderId, { returned, userId: f.userId });
    else order.returned ||= returned;
    const category = f.category ?? NO_CATEGORY;
    let cat = day.categories.get(category);
    if (cat === undefined) {
      cat = { cents: 0, orders: new Set() };
      day.categories.set(category, cat);
    }
    cat.cents += f.salePriceCents;
    cat.orders.add(f.orderId);
  }

  const order: OrderKpi[] = [];
  const category: CategoryKpi[] = [];
  for (const dayNo of [...days.keys()].sort((a, b) => a - b)) {
    const day = days.get(dayNo) as DayAcc;
    const date = dayNumberToDate(dayNo);
    const users = new Set<string>();
    for (const o of day.orders.values()) users.add(o.userId);
    order.push({
      order_date: date,
      total_orders: day.orders.size,
      total_revenue: centsToAmount(day.cents),
      total_items_sold: day.items,
      return_rate: returnedShare(day.orders.keys(), day.orders),
      unique_customers: users.size,
    });
    for (const name of [...day.categories.keys()].sort(byCodeUnits)) {
      const cat = day.categories.get(name) as CategoryAcc;
      category.push({
        category: name,
        order_date: date,
        daily_revenue: centsToAmount(cat.cents),
        avg_order_value: averageAmount(cat.cents, cat.orders.size),
        avg_return_rate: returnedShare(cat.orders, day.orders),
      });
    }
  }
  return { order, category };
};
