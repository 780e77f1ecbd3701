// FactStore on DynamoDB. Each fact is kept twice in the facts table:
//   (order_id, item_id)                       by order: what replacing an order must remove;
//                                             also indexed by_date for analytics readers
//   (#date#<YYYY-MM-DD>, ["<order>","<item>"]) by date: what KPIs are computed from, read with a
//                                             strongly consistent query (the by_date index is
//                                             eventually consistent, and a KPI computed right
//                                             after a replace must see it)
// A replace writes the by-date copies first and the by-order items last, so re-running a replace
// that crashed half-way finds the same old facts and converges.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { utcDate } from '../../domain/dates.js';
import type { Fact } from '../../domain/kpi/kpi.types.js';
import type { FactStore } from '../../ports/fact-store.port.js';
import { batchWriteAll, type Item, type TableWrite } from './dynamodb-batch.js';
import { mapLimit } from './map-limit.js';

const DATE = '#date#';
const datePk = (date: string): string => `${DATE}${date}`;
const dateSk = (f: Pick<Fact, 'orderId' | 'itemId'>): string =>
  JSON.stringify([f.orderId, f.itemId]);

const fields = (f: Fact) => ({
  user_id: f.userId,
  order_status: f.orderStatus,
  order_created_at: f.orderCreatedAt,
  product_id: f.productId,
  category: f.category,
  sale_price_cents: f.salePriceCents,
});

const factOf = (i: Item): Fact => ({
  itemId: i['fact_item_id'] as string,
  orderId: i['fact_order_id'] as string,
  userId: i['user_id'] as string,
  orderStatus: i['order_status'] as string,
  orderCreatedAt: i['order_created_at'] as number,
  productId: i['product_id'] as string,
  category: (i['category'] as string | null | undefined) ?? null,
  salePriceCents: i['sale_price_cents'] as number,
});

const byOrderThenItem = (a: Fact, b: Fact): number =>
  a.orderId < b.orderId
    ? -1
    : a.orderId > b.orderId
      ? 1
      : a.itemId < b.itemId
        ? -1
        : a.itemId > b.itemId
          ? 1
          : 0;

export class DynamoDbFactStore implements FactStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async replaceOrders(orderIds: readonly string[], facts: readonly Fact[]): Promise<string[]> {
    // the item id is a fact's key: a repeated item replaces the earlier one
    const next = [...new Map(facts.map((f) => [f.itemId, f])).values()];
    const orders = [...new Set([...orderIds, ...next.map((f) => f.orderId)])];
    const old = (await mapLimit(orders, 16, (o) => this.orderFacts(o))).flat();
    const keep = new Set(
      next.map((f) => `${f.orderId}\u0000${f.itemId}\u0000${utcDate(f.orderCreatedAt)}`),
    );
    const staleCopies = old.filter(
      (f) => !keep.has(`${f.orderId}\u0000${f.itemId}\u0000${utcDate(f.orderCreatedAt)}`),
    );
    const nextIds = new Set(next.map((f) => `${f.orderId}\u0000${f.itemId}`));
    const staleItems = old.filter((f) => !nextIds.has(`${f.orderId}\u0000${f.itemId}`));
    const w = (request: TableWrite['request']): TableWrite => ({ table: this.table, request });
    await batchWriteAll(this.doc, [
      ...staleCopies.map((f) =>
        w({
          DeleteRequest: {
            Key: { order_id: datePk(utcDate(f.orderCreatedAt)), item_id: dateSk(f) },
          },
        }),
      ),
      ...next.map((f) =>
        w({
          PutRequest: {
            Item: {
              order_id: datePk(utcDate(f.orderCreatedAt)),
              item_id: dateSk(f),
              fact_order_id: f.orderId,
              fact_item_id: f.itemId,
              ...fields(f),
            },
          },
        }),
      ),
    ]);
    await batchWriteAll(this.doc, [
      ...staleItems.map((f) =>
        w({ DeleteRequest: { Key: { order_id: f.orderId, item_id: f.itemId } } }),
      ),
      ...next.map((f) =>
        w({
          PutRequest: {
            Item: {
              order_id: f.orderId,
              item_id: f.itemId,
              order_date: utcDate(f.orderCreatedAt),
              fact_order_id: f.orderId,
              fact_item_id: f.itemId,
              ...fields(f),
            },
          },
        }),
      ),
    ]);
    return [...new Set([...old, ...next].map((f) => utcDate(f.orderCreatedAt)))].sort();
  }

  async forDates(dates: readonly string[]): Promise<Fact[]> {
    const found = await mapLimit([...new Set(dates)], 8, (d) => this.queryAll(datePk(d)));
    return found.flat().map(factOf).sort(byOrderThenItem);
  }

  async count(): Promise<number> {
    let n = 0;
    let start: Item | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          Select: 'COUNT',
          FilterExpression: 'begins_with(order_id, :d)',
          ExpressionAttributeValues: { ':d': DATE },
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      n += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return n;
  }

  private async orderFacts(orderId: string): Promise<Fact[]> {
    if (orderId.startsWith(DATE)) throw new Error(`order ids starting with ${DATE} are reserved`);
    return (await this.queryAll(orderId)).map(factOf);
  }

  private async queryAll(pk: string): Promise<Item[]> {
    const found: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'order_id = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      found.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return found;
  }
}
