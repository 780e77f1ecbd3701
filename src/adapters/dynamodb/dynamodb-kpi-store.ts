// KpiStore on the two DynamoDB tables of spec section 4: order KPIs keyed by order_date, category
// KPIs keyed by (category, order_date). Money is written as an exact decimal string built from
// integer cents ("1234.56", which DynamoDB keeps exactly: 38 digits) and read back as cents by
// parsing the number's text (dynamodb-exact-numbers.ts), never through a double. Rates are
// stored for readers of the tables, but read back from the counts kept beside them.
//
// Which categories a date has is kept on the date's order-KPI item (`_categories`), read with a
// consistent read: the by_date index could be used instead, but it is eventually consistent and a
// replace could then miss a row written a moment earlier and leave it stale.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  countOf,
  decimal,
  decimalOf,
  rawGet,
  rawQueryAll,
  rawScanAll,
  textOf,
  textsOf,
  type RawItem,
} from './dynamodb-exact-numbers.js';
import { mapLimit } from './map-limit.js';
import {
  assertTotalsWithinDates,
  kpisFromTotals,
  shareOf,
  sortTotals,
} from '../../domain/kpi/kpi-totals.js';
import type { CategoryTotals, DayTotals, KpiSet, KpiTotals } from '../../domain/kpi/kpi.types.js';
import { divideCents, parseCents } from '../../domain/money.js';
import type { KpiFilter, KpiStore } from '../../ports/kpi-store.port.js';
import type { RetryPolicy } from './backoff.js';
import { batchWriteAll, DEFAULT_RETRY, type Item, type TableWrite } from './dynamodb-batch.js';

const CATEGORIES = '_categories';

const dayItem = (d: DayTotals): Item => ({
  order_date: d.date,
  total_orders: d.orders,
  total_revenue: decimal(d.revenueCents),
  total_items_sold: d.items,
  return_rate: shareOf(d.returnedOrders, d.orders),
  unique_customers: d.customers,
  returned_orders: d.returnedOrders,
});

const categoryItem = (c: CategoryTotals): Item => ({
  category: c.category,
  order_date: c.date,
  daily_revenue: decimal(c.revenueCents),
  avg_order_value: decimal(divideCents(c.revenueCents, c.orders)),
  avg_return_rate: shareOf(c.returnedOrders, c.orders),
  orders: c.orders,
  returned_orders: c.returnedOrders,
});

const dayOf = (i: RawItem): DayTotals => ({
  date: textOf(i, 'order_date'),
  orders: countOf(i, 'total_orders'),
  items: countOf(i, 'total_items_sold'),
  revenueCents: parseCents(decimalOf(i, 'total_revenue')),
  returnedOrders: countOf(i, 'returned_orders'),
  customers: countOf(i, 'unique_customers'),
});

const categoryOf = (i: RawItem): CategoryTotals => ({
  category: textOf(i, 'category'),
  date: textOf(i, 'order_date'),
  revenueCents: parseCents(decimalOf(i, 'daily_revenue')),
  orders: countOf(i, 'orders'),
  returnedOrders: countOf(i, 'returned_orders'),
});

export class DynamoDbKpiStore implements KpiStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tables: { readonly orderKpis: string; readonly categoryKpis: string },
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
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
    const oldCategories = (date: string): string[] => {
      const item = before.get(date);
      return item === undefined ? [] : textsOf(item, CATEGORIES);
    };
    const { orderKpis, categoryKpis } = this.tables;
    // 1. the date items name old and new categories, so a crash part-way leaves no row unlisted
    const widen: TableWrite[] = [...wanted].flatMap((date) => {
      const union = [
        ...new Set([...oldCategories(date), ...(newCategories.get(date) ?? [])]),
      ].sort();
      const old = before.get(date);
      const item =
        old === undefined ? order.find((o) => o['order_date'] === date) : dayItem(dayOf(old));
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
      const date = filter.date;
      const names = textsOf(item, CATEGORIES).filter(
        (c) => filter.category === undefined || c === filter.category,
      );
      const rows = await mapLimit(names, 16, (c) =>
        rawGet(this.client, this.tables.categoryKpis, {
          category: { S: c },
          order_date: { S: date },
        }),
      );
      const found = rows.filter((r): r is RawItem => r !== null);
      return sortTotals({ days: [dayOf(item)], categories: found.map(categoryOf) });
    }
    const days = (await this.scan(this.tables.orderKpis)).map(dayOf);
    const category =
      filter.category === undefined
        ? await this.scan(this.tables.categoryKpis)
        : await this.queryCategory(filter.category);
    return sortTotals({ days, categories: category.map(categoryOf) });
  }

  private async dateItems(dates: readonly string[]): Promise<Map<string, RawItem>> {
    const items = await mapLimit([...dates], 16, (d) =>
      rawGet(this.client, this.tables.orderKpis, { order_date: { S: d } }),
    );
    return new Map(
      items.filter((i): i is RawItem => i !== null).map((i) => [textOf(i, 'order_date'), i]),
    );
  }

  private scan(table: string): Promise<RawItem[]> {
    return rawScanAll(this.client, { TableName: table });
  }

  private queryCategory(category: string): Promise<RawItem[]> {
    return rawQueryAll(this.client, {
      TableName: this.tables.categoryKpis,
      KeyConditionExpression: 'category = :c',
      ExpressionAttributeValues: { ':c': { S: category } },
    });
  }
}
