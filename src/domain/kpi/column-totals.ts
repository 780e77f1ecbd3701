// totalKpis over fact columns, without a Fact object or a BigInt per fact: a store that has just
// written a group's facts, and knows they are all the facts of their dates, totals them here
// instead of aggregating them again (sqlite-fact-store.ts). Proven equal to totalKpis by
// test/unit/domain/column-totals.test.ts.
import { dayNumberToDate, utcDayNumber } from '../dates.js';
import { NO_CATEGORY, totalKpis } from './compute-kpis.js';
import { KeySlots } from '../key-slots.js';
import { factsOf, type FactColumns } from './fact-columns.js';
import { sortTotals } from './kpi-totals.js';
import type { CategoryTotals, DayTotals, KpiTotals } from './kpi.types.js';

/** at most this many categories in one group's fast path: an order's categories are bits */
const MAX_CATEGORIES = 31;

/**
 * totalKpis(factsOf(c)). Each order gets a slot (one lookup per run of an order's adjacent
 * facts, not per fact); its returned flag and categories (as bits) are kept by slot, and the
 * cents by day and category. An order on two days, more than MAX_CATEGORIES categories, or cents
 * whose sum could leave the safe integers (or that are not safe integers: totalKpis then throws
 * on them as it does) make it totalKpis over the facts instead.
 */
export const totalKpisOfColumns = (c: FactColumns): KpiTotals =>
  slotTotals(c) ?? totalKpis(factsOf(c));

/**
 * The runs of adjacent facts of one order: at least the number of distinct orders (an order's
 * facts are adjacent in a group; where they are not, it only has more runs), so the per-order
 * tables are sized by it. Sized by the facts, they were ~2.5x bigger (3M facts of 1.2M orders:
 * ~60 MB against ~25 MB), alive beside the fact store's write and the Delta worker.
 */
const orderRuns = (c: FactColumns): number => {
  let runs = 0;
  let previous: string | undefined;
  for (let i = 0; i < c.length; i++) {
    const id = c.orderId[i] as string;
    if (id !== previous || runs === 0) runs += 1;
    previous = id;
  }
  return runs;
};

/**
 * Whether an order's customer is new on its day (the day's index), orders told one by one. Within
 * 32 days, each customer (numbered by KeySlots, by value for numeric ids: no hashing) has its
 * days as the bits of one word; beyond, (customer, day) pairs are numbered, a new pair being a
 * new customer (the pairs' hashed table cost ~1/4 of the totals at 10^6 facts).
 */
const customerDayCheck = (
  orders: number,
  dayNumbers: readonly number[],
): ((user: string, day: number) => boolean) => {
  if (dayNumbers.length > 32) {
    const customerDays = new KeySlots(orders, true);
    const dayKeys = dayNumbers.map(String);
    return (user, day) => customerDays.slotOf(user, dayKeys[day]) < 0;
  }
  const customers = new KeySlots(orders);
  const days = new Uint32Array(orders);
  return (user, day) => {
    const found = customers.slotOf(user);
    const customer = found < 0 ? ~found : found;
    const bit = 1 << day;
    const seen = days[customer] as number;
    if ((seen & bit) !== 0) return false;
    days[customer] = seen | bit;
    return true;
  };
};

const slotTotals = (c: FactColumns): KpiTotals | null => {
  const orderCount = orderRuns(c);
  // numbered without a Map: ~0.25 s less at 1M facts (key-slots.ts)
  const slots = new KeySlots(orderCount);
  const slotDay = new Int32Array(orderCount);
  const returned = new Uint8Array(orderCount);
  const categoryBits = new Uint32Array(orderCount);
  const users: string[] = [];
  const dayIndex = new Map<number, number>();
  const dayNumbers: number[] = [];
  const dayItems: number[] = [];
  // cents summed as doubles: exact while every addend is a safe integer and the sum of their
  // magnitudes (a bound of every partial sum) stays safe, checked once per fact below
  const dayCents: number[] = [];
  // [day * MAX_CATEGORIES + category]
  const categoryCents: number[] = [];
  const categoryIndex = new Map<string, number>();
  const categoryNames: string[] = [];
  let magnitude = 0;
  let dayNo = NaN;
  let day = -1;
  let orderId: string | undefined;
  let slot = -1;
  let categoryName: string | undefined;
  let category = -1;
  for (let i = 0; i < c.length; i++) {
    const at = utcDayNumber(c.orderCreatedAt[i] as number);
    if (at !== dayNo || day < 0) {
      const known = dayIndex.get(at);
      if (known === undefined) {
        day = dayNumbers.length;
        dayIndex.set(at, day);
        dayNumbers.push(at);
        dayItems.push(0);
        dayCents.push(0);
        for (let k = 0; k < MAX_CATEGORIES; k++) categoryCents.push(0);
      } else day = known;
      dayNo = at;
    }
    const id = c.orderId[i] as string;
    if (id !== orderId || slot < 0) {
      orderId = id;
      const known = slots.slotOf(id);
      if (known < 0) {
        slot = ~known;
        users.push(c.userId[i] as string);
        slotDay[slot] = day;
      } else slot = known;
    }
    // the same order on another day: counted per day, which the slots do not tell apart
    if (slotDay[slot] !== day) return null;
    if (c.orderStatus[i] === 'returned') returned[slot] = 1;
    const name = c.category[i] ?? NO_CATEGORY;
    if (name !== categoryName || category < 0) {
      categoryName = name;
      const known = categoryIndex.get(name);
      if (known === undefined) {
        if (categoryNames.length >= MAX_CATEGORIES) return null;
        category = categoryNames.length;
        categoryIndex.set(name, category);
        categoryNames.push(name);
      } else category = known;
    }
    categoryBits[slot] = (categoryBits[slot] as number) | (1 << category);
    const cents = c.salePriceCents[i] as number;
    if (!Number.isSafeInteger(cents)) return null;
    magnitude += Math.abs(cents);
    dayCents[day] = (dayCents[day] as number) + cents;
    dayItems[day] = (dayItems[day] as number) + 1;
    const k = day * MAX_CATEGORIES + category;
    categoryCents[k] = (categoryCents[k] as number) + cents;
  }
  if (magnitude > Number.MAX_SAFE_INTEGER) return null;

  const orders = new Array<number>(dayNumbers.length).fill(0);
  const returnedOrders = new Array<number>(dayNumbers.length).fill(0);
  const customers = new Array<number>(dayNumbers.length).fill(0);
  const newCustomer = customerDayCheck(users.length, dayNumbers);
  const categoryOrders = new Array<number>(dayNumbers.length * MAX_CATEGORIES).fill(0);
  const categoryReturned = new Array<number>(dayNumbers.length * MAX_CATEGORIES).fill(0);
  for (let s = 0; s < users.length; s++) {
    const d = slotDay[s] as number;
    const back = returned[s] as number;
    orders[d] = (orders[d] as number) + 1;
    returnedOrders[d] = (returnedOrders[d] as number) + back;
    if (newCustomer(users[s] as string, d)) customers[d] = (customers[d] as number) + 1;
    let bits = categoryBits[s] as number;
    for (let k = 0; bits !== 0; k++, bits >>>= 1) {
      if ((bits & 1) === 0) continue;
      const at = d * MAX_CATEGORIES + k;
      categoryOrders[at] = (categoryOrders[at] as number) + 1;
      categoryReturned[at] = (categoryReturned[at] as number) + back;
    }
  }
  const days: DayTotals[] = [];
  const categories: CategoryTotals[] = [];
  dayNumbers.forEach((n, d) => {
    const date = dayNumberToDate(n);
    days.push({
      date,
      orders: orders[d] as number,
      items: dayItems[d] as number,
      revenueCents: BigInt(dayCents[d] as number),
      returnedOrders: returnedOrders[d] as number,
      customers: customers[d] as number,
    });
    categoryNames.forEach((name, k) => {
      const at = d * MAX_CATEGORIES + k;
      // a category with a fact that day has an order in it that day
      if (categoryOrders[at] === 0) return;
      categories.push({
        category: name,
        date,
        revenueCents: BigInt(categoryCents[at] as number),
        orders: categoryOrders[at] as number,
        returnedOrders: categoryReturned[at] as number,
      });
    });
  });
  return sortTotals({ days, categories });
};
