// Per-order contribution rows of the facts table: (#date#<YYYY-MM-DD>, <order id>) holds what the
// order adds to its day's KPI totals. Money is an exact decimal string built from cents, read
// back by parsing that string (the client that reads them wraps numbers instead of making
// doubles of them).
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import type { OrderContribution } from '../../domain/kpi/order-contributions.js';
import { formatCents, parseCents } from '../../domain/money.js';
import type { Item } from './dynamodb-batch.js';

export const DATE = '#date#';
export const datePk = (date: string): string => `${DATE}${date}`;

const decimal = (cents: bigint): NumberValue => NumberValue.from(formatCents(cents));

const exact = (v: unknown, what: string): string => {
  if (v instanceof NumberValue) return v.value;
  throw new TypeError(`contribution ${what} is not a number: ${JSON.stringify(v)}`);
};

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

export const contributionOf = (i: Item): OrderContribution => ({
  orderId: i['item_id'] as string,
  date: (i['order_id'] as string).slice(DATE.length),
  userId: i['user_id'] as string,
  returned: i['returned'] === true,
  items: Number(exact(i['items'], 'items')),
  revenueCents: parseCents(exact(i['revenue'], 'revenue')),
  categories: new Map(
    (i['categories'] as { name: string; revenue: unknown }[]).map((c) => [
      c.name,
      parseCents(exact(c.revenue, 'category revenue')),
    ]),
  ),
});
