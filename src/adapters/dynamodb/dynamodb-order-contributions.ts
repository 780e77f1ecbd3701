// Per-order contribution rows of the facts table: (#date#<YYYY-MM-DD>, <order id>) holds what the
// order adds to its day's KPI totals. Money is an exact decimal string built from cents, read
// back as cents by parsing the number's text (dynamodb-exact-numbers.ts), never through a double.
import type { OrderContribution } from '../../domain/kpi/order-contributions.js';
import { parseCents } from '../../domain/money.js';
import type { Item } from './dynamodb-batch.js';
import {
  boolOf,
  countOf,
  decimal,
  decimalOf,
  listOf,
  textOf,
  type RawItem,
} from './dynamodb-exact-numbers.js';

export const DATE = '#date#';
export const datePk = (date: string): string => `${DATE}${date}`;

export const contributionKey = (c: Pick<OrderContribution, 'orderId' | 'date'>) => ({
  order_id: datePk(c.date),
  item_id: c.orderId,
});

export const contributionItem = (c: OrderContribution): Item => ({
  ...contributionKey(c),
  user_id: c.userId,
  returned: c.returned,
  items: c.items,
  revenue: decimal(c.revenueCents),
  // a list, not a map: a category name may be any string, and map keys may not be empty
  categories: [...c.categories].map(([name, cents]) => ({ name, revenue: decimal(cents) })),
});

export const contributionOf = (i: RawItem): OrderContribution => ({
  orderId: textOf(i, 'item_id'),
  date: textOf(i, 'order_id').slice(DATE.length),
  userId: textOf(i, 'user_id'),
  returned: boolOf(i, 'returned'),
  items: countOf(i, 'items'),
  revenueCents: parseCents(decimalOf(i, 'revenue')),
  categories: new Map(
    listOf(i, 'categories').map((c) => [textOf(c, 'name'), parseCents(decimalOf(c, 'revenue'))]),
  ),
});
