// KpiStore on the two DynamoDB tables of spec section 4: order KPIs keyed by order_date, category
// KPIs keyed by (category, order_date). Values are DynamoDB numbers, which hold a JS number's
// shortest decimal form exactly (up to 38 digits), so 1234.56 reads back as 1234.56.
//
// Which categories a date has is kept on the date's order-KPI item (`_categories`), read with a
// consistent read: the by_date index could be used instead, but it is eventually consistent and a
// replace could then miss a row written a moment earlier and leave it stale.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll, scanAll } from './dynamodb-read.js';
import type { CategoryKpi, KpiSet, OrderKpi } from '../../domain/kpi/kpi.types.js';
import type { KpiFilter, KpiStore } from '../../ports/kpi-store.port.js';
import type { RetryPolicy } from './backoff.js';
import {
  batchGetAll,
  batchWriteAll,
  DEFAULT_RETRY,
  type Item,
  type TableWrite,
} from './dynamodb-batch.js';
import { assertRowsWithinDates, sortKpis } from '../in-memory/kpi-rows.js';
import { clearTable } from './dynamodb-clear-table.js';

const CATEGORIES = '_categories';

const orderKpiOf = (i: Item): OrderKpi => ({
  order_date: i['order_date'] as string,
  total_orders: i['total_orders'] as number,
  total_revenue: i['total_revenue'] as number,
  total_items_sold: i['total_items_sold'] as number,
  return_rate: i['return_rate'] as number,
  unique_customers: i['unique_customers'] as number,
});

const categoryKpiOf = (i: Item): CategoryKpi => ({
  category: i['category'] as string,
  order_date: i['order_date'] as string,
  daily_revenue: i['daily_revenue'] as number,
  avg_order_value: i['avg_order_value'] as number,
  avg_return_rate: i['avg_return_rate'] as number,
});

export class DynamoDbKpiStore implements KpiStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tables: { readonly orderKpis: string; readonly categoryKpis: string },
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async replaceDates(dates: readonly string[], kpis: KpiSet): Promise<void> {
    assertRowsWithinDates(dates, kpis);
    const wanted = new Set(dates);
    const order = kpis.order;
    const category = kpis.category;
    const before = await this.dateItems([...wanted]);
    const newCategories = new Map<string, Set<string>>();
    for (const c of category) {
      const set = newCategories.get(c.order_date) ?? new Set<string>();
      newCategories.set(c.order_date, set.add(c.category));
    }
    const oldCategories = (date: string): string[] =>
      (before.get(date)?.[CATEGORIES] as string[] | undefined) ?? [];
    const { orderKpis, categoryKpis } = this.tables;
    // 1. the date items name old and new categories, so a crash part-way leaves no row unlisted
    const widen: TableWrite[] = [...wanted].flatMap((date) => {
      const union = [
        ...new Set([...oldCategories(date), ...(newCategories.get(date) ?? [])]),
      ].sort();
      const item = before.get(date) ?? order.find((o) => o.order_date === date);
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
      request: { PutRequest: { Item: { ...c } } },
    }));
    await batchWriteAll(this.doc, [...stale, ...upserts], this.retry);
    // 3. the date items, now naming exactly their categories; dates without KPIs are removed
    const present = new Set(order.map((o) => o.order_date));
    const dateWrites: TableWrite[] = [
      ...order.map((o) => ({
        table: orderKpis,
        request: {
          PutRequest: {
            Item: { ...o, [CATEGORIES]: [...(newCategories.get(o.order_date) ?? [])].sort() },
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
    if (filter.date !== undefined) {
      const item = (await this.dateItems([filter.date])).get(filter.date);
      if (item === undefined) return { order: [], category: [] };
      const names = ((item[CATEGORIES] as string[] | undefined) ?? []).filter(
        (c) => filter.category === undefined || c === filter.category,
      );
      const rows = await batchGetAll(
        this.doc,
        this.tables.categoryKpis,
        names.map((c) => ({ category: c, order_date: filter.date })),
        this.retry,
      );
      return sortKpis({ order: [orderKpiOf(item)], category: rows.map(categoryKpiOf) });
    }
    const order = (await this.scan(this.tables.orderKpis)).map(orderKpiOf);
    const category =
      filter.category === undefined
        ? await this.scan(this.tables.categoryKpis)
        : await this.queryCategory(filter.category);
    return sortKpis({ order, category: category.map(categoryKpiOf) });
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

  async reset(): Promise<void> {
    await clearTable(this.doc, this.tables.orderKpis, ['order_date']);
    await clearTable(this.doc, this.tables.categoryKpis, ['category', 'order_date']);
  }
}
