// KpiStore on the two DynamoDB tables of spec section 4: order KPIs keyed by order_date, category
// KPIs keyed by (category, order_date). Money is written as an exact decimal string built from
// integer cents ("1234.56", which DynamoDB keeps exactly: 38 digits) and read back as cents by
// parsing that string (the client wraps numbers instead of converting them to doubles). Rates are
// stored for readers of the tables, but read back from the counts kept beside them.
//
// Which categories a date has is kept on the date's order-KPI item (`_categories`), read with a
// consistent read: the by_date index could be used instead, but it is eventually consistent and a
// replace could then miss a row written a moment earlier and leave it stale.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, NumberValue } from '@aws-sdk/lib-dynamodb';
import { queryAll, scanAll } from './dynamodb-read.js';
import {
  assertTotalsWithinDates,
  kpisFromTotals,
  sortTotals,
} from '../../domain/kpi/kpi-totals.js';
import type { CategoryTotals, DayTotals, KpiSet, KpiTotals } from '../../domain/kpi/kpi.types.js';
import { divideCents, formatCents, parseCents } from '../../domain/money.js';
import type { KpiFilter, KpiStore } from '../../ports/kpi-store.port.js';
import type { RetryPolicy } from './backoff.js';
import {
  batchGetAll,
  batchWriteAll,
  DEFAULT_RETRY,
  type Item,
  type TableWrite,
} from './dynamodb-batch.js';

const CATEGORIES = '_categories';

/** an exact decimal as a DynamoDB number, never through a double */
const decimal = (cents: bigint): NumberValue => NumberValue.from(formatCents(cents));
const share = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

const dayItem = (d: DayTotals): Item => ({
  order_date: d.date,
  total_orders: d.orders,
  total_revenue: decimal(d.revenueCents),
  total_items_sold: d.items,
  return_rate: share(d.returnedOrders, d.orders),
  unique_customers: d.customers,
  returned_orders: d.returnedOrders,
});

const categoryItem = (c: CategoryTotals): Item => ({
  category: c.category,
  order_date: c.date,
  daily_revenue: decimal(c.revenueCents),
  avg_order_value: decimal(divideCents(c.revenueCents, c.orders)),
  avg_return_rate: share(c.returnedOrders, c.orders),
  orders: c.orders,
  returned_orders: c.returnedOrders,
});

/** numbers come back wrapped (wrapNumbers), as the exact decimal text DynamoDB holds */
const text = (i: Item, key: string): string => {
  const v = i[key];
  if (v instanceof NumberValue) return v.value;
  throw new TypeError(`KPI item attribute ${key} is not a number: ${JSON.stringify(v)}`);
};
const count = (i: Item, key: string): number => Number(text(i, key));

const dayOf = (i: Item): DayTotals => ({
  date: i['order_date'] as string,
  orders: count(i, 'total_orders'),
  items: count(i, 'total_items_sold'),
  revenueCents: parseCents(text(i, 'total_revenue')),
  returnedOrders: count(i, 'returned_orders'),
  customers: count(i, 'unique_customers'),
});

const categoryOf = (i: Item): CategoryTotals => ({
  category: i['category'] as string,
  date: i['order_date'] as string,
  revenueCents: parseCents(text(i, 'daily_revenue')),
  orders: count(i, 'orders'),
  returnedOrders: count(i, 'returned_orders'),
});

export class DynamoDbKpiStore implements KpiStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tables: { readonly orderKpis: string; readonly categoryKpis: string },
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      unmarshallOptions: { wrapNumbers: true },
    });
  }

  async replaceDates(dates: readonly string[], totals: KpiTotals): Promise<void> {
    assertTotalsWithinDates(dates, totals);
    const wanted = new Set(dates);
    const order = totals.days.map(dayItem);
    const category = totals.categories.map(categoryItem);
    const before = await this.dateItems([...wanted]);
    const newCategories = new Map<string, Set<string>>();
    for (const c of totals.categories) {
      const set = newCategories.get(c.date) ?? new Set<string>();
      newCategories.set(c.date, set.add(c.category));
    }
    const oldCategories = (date: string): string[] =>
      (before.get(date)?.[CATEGORIES] as string[] | undefined) ?? [];
    const { orderKpis, categoryKpis } = this.tables;
    // 1. the date items name old and new categories, so a crash part-way leaves no row unlisted
    const widen: TableWrite[] = [...wanted].flatMap((date) => {
      const union = [
        ...new Set([...oldCategories(date), ...(newCategories.get(date) ?? [])]),
      ].sort();
      const item = before.get(date) ?? order.find((o) => o['order_date'] === date);
      return item === undefined || (before.has(date) && union.length === oldCategories(date).length)
        ? []
        : [
            {
              table: orderKpis,
              request: { PutRequest: { Item: { ...item, [CATEGORIES]: union } } },
            },
          ];
    });
    await batchWriteAll(this.doc, widen, this.retry);
    // 2. category rows: stale ones deleted, the rest upserted
    const stale: TableWrite[] = [...wanted].flatMap((date) =>
      oldCategories(date)
        .filter((c) => !(newCategories.get(date)?.has(c) ?? false))
        .map((c) => ({
          table: categoryKpis,
          request: { DeleteRequest: { Key: { category: c, order_date: date } } },
        })),
    );
    const upserts: TableWrite[] = category.map((c) => ({
      table: categoryKpis,
      request: { PutRequest: { Item: c } },
    }));
    await batchWriteAll(this.doc, [...stale, ...upserts], this.retry);
    // 3. the date items, now naming exactly their categories; dates without KPIs are removed
    const present = new Set(totals.days.map((o) => o.date));
    const dateWrites: TableWrite[] = [
      ...order.map((o) => ({
        table: orderKpis,
        request: {
          PutRequest: {
            Item: {
              ...o,
              [CATEGORIES]: [...(newCategories.get(o['order_date'] as string) ?? [])].sort(),
            },
          },
        },
      })),
      ...[...wanted]
        .filter((d) => !present.has(d) && before.has(d))
        .map((d) => ({ table: orderKpis, request: { DeleteRequest: { Key: { order_date: d } } } })),
    ];
    await batchWriteAll(this.doc, dateWrites, this.retry);
  }

  async query(filter: KpiFilter = {}): Promise<KpiSet> {
    return kpisFromTotals(await this.queryTotals(filter));
  }

  async queryTotals(filter: KpiFilter = {}): Promise<KpiTotals> {
    if (filter.date !== undefined) {
      const item = (await this.dateItems([filter.date])).get(filter.date);
      if (item === undefined) return { days: [], categories: [] };
      const names = ((item[CATEGORIES] as string[] | undefined) ?? []).filter(
        (c) => filter.category === undefined || c === filter.category,
      );
      const rows = await batchGetAll(
        this.doc,
        this.tables.categoryKpis,
        names.map((c) => ({ category: c, order_date: filter.date })),
        this.retry,
      );
      return sortTotals({ days: [dayOf(item)], categories: rows.map(categoryOf) });
    }
    const days = (await this.scan(this.tables.orderKpis)).map(dayOf);
    const category =
      filter.category === undefined
        ? await this.scan(this.tables.categoryKpis)
        : await this.queryCategory(filter.category);
    return sortTotals({ days, categories: category.map(categoryOf) });
  }

  private async dateItems(dates: readonly string[]): Promise<Map<string, Item>> {
    const items = await batchGetAll(
      this.doc,
      this.tables.orderKpis,
      dates.map((d) => ({ order_date: d })),
      this.retry,
    );
    return new Map(items.map((i) => [i['order_date'] as string, i]));
  }

  private scan(table: string): Promise<Item[]> {
    return scanAll(this.doc, { TableName: table });
  }

  private queryCategory(category: string): Promise<Item[]> {
    return queryAll(this.doc, {
      TableName: this.tables.categoryKpis,
      KeyConditionExpression: 'category = :c',
      ExpressionAttributeValues: { ':c': category },
    });
  }
}
