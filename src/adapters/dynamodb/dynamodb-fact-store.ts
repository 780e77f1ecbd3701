// FactStore on DynamoDB. Each fact is kept twice in the facts table:
//   (order_id, item_id)                       by order: what replacing an order must remove;
//                                             also indexed by_date for analytics readers
//   (<order>, #order)                         marks an order that has facts
//   (#item#<item>, #owner)                    the order (and date) an item's fact is under now
//   (#date#<YYYY-MM-DD>, ["<order>","<item>"]) by date: what KPIs are computed from, read with a
//                                             strongly consistent query (the by_date index is
//                                             eventually consistent, and a KPI computed right
//                                             after a replace must see it)
// A replace writes the by-date copies first and the by-order items last, so re-running a replace
// that crashed half-way finds the same old facts and converges.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll, scanAll } from './dynamodb-read.js';
import { utcDate } from '../../domain/dates.js';
import type { Fact } from '../../domain/kpi/kpi.types.js';
import type { FactStore } from '../../ports/fact-store.port.js';
import { batchGetAll, batchWriteAll, type Item, type TableWrite } from './dynamodb-batch.js';
import { mapLimit } from './map-limit.js';
import { byOrderThenItem, replacedOrders, touchedDates } from '../in-memory/fact-rows.js';
import { clearTable } from './dynamodb-clear-table.js';

const DATE = '#date#';
const ITEM = '#item#';
/** (#item#<item>, OWNER) names the order an item's fact belongs to now, and its date */
const OWNER = '#owner';
const itemPk = (itemId: string): string => `${ITEM}${itemId}`;

/** where a fact is kept: enough to delete both of its copies */
interface Placed {
  readonly orderId: string;
  readonly itemId: string;
  readonly date: string;
}
const placed = (f: Fact): Placed => ({
  orderId: f.orderId,
  itemId: f.itemId,
  date: utcDate(f.orderCreatedAt),
});
const copyKey = (p: Placed): string => JSON.stringify([p.orderId, p.itemId, p.date]);
const dateKey = (f: Fact) => ({
  order_id: datePk(utcDate(f.orderCreatedAt)),
  item_id: dateSk(f),
  fact_order_id: f.orderId,
  fact_item_id: f.itemId,
});
const orderKey = (f: Fact) => ({
  order_id: f.orderId,
  item_id: f.itemId,
  order_date: utcDate(f.orderCreatedAt),
  fact_order_id: f.orderId,
  fact_item_id: f.itemId,
});
/** (order_id, MARKER) marks an order that has facts, so a replace skips querying new orders */
const MARKER = '#order';
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
    const orders = replacedOrders(orderIds, next);
    const reserved = [...orders].find((o) => o.startsWith('#'));
    if (reserved !== undefined)
      throw new Error(`order id ${reserved}: ids starting with '#' are reserved`);
    const markers = await batchGetAll(
      this.doc,
      this.table,
      [...orders].map((o) => ({ order_id: o, item_id: MARKER })),
    );
    // only orders stored before have facts to find (most orders of a group are new)
    const stored = markers.map((m) => m['order_id'] as string);
    const ofOrders: Placed[] = (await mapLimit(stored, 16, (o) => this.orderFacts(o)))
      .flat()
      .map(placed);
    // an item re-delivered under another order leaves the order it was in
    const owners = await batchGetAll(
      this.doc,
      this.table,
      next.map((f) => ({ order_id: itemPk(f.itemId), item_id: OWNER })),
    );
    const moved: Placed[] = owners
      .map((o) => ({
        orderId: o['owner'] as string,
        itemId: (o['order_id'] as string).slice(ITEM.length),
        date: o['date'] as string,
      }))
      .filter((o) => !orders.has(o.orderId));
    const old = [...ofOrders, ...moved];
    const nextPlaced = next.map(placed);
    const keep = new Set(nextPlaced.map(copyKey));
    const nextIds = new Set(nextPlaced.map((p) => JSON.stringify([p.orderId, p.itemId])));
    const nextItems = new Set(next.map((f) => f.itemId));
    const w = (request: TableWrite['request']): TableWrite => ({ table: this.table, request });
    await batchWriteAll(this.doc, [
      ...old
        .filter((p) => !keep.has(copyKey(p)))
        .map((p) =>
          w({ DeleteRequest: { Key: { order_id: datePk(p.date), item_id: dateSk(p) } } }),
        ),
      ...next.map((f) => w({ PutRequest: { Item: { ...dateKey(f), ...fields(f) } } })),
    ]);
    const withFacts = new Set(next.map((f) => f.orderId));
    await batchWriteAll(this.doc, [
      ...stored
        .filter((o) => !withFacts.has(o))
        .map((o) => w({ DeleteRequest: { Key: { order_id: o, item_id: MARKER } } })),
      ...[...withFacts].map((o) => w({ PutRequest: { Item: { order_id: o, item_id: MARKER } } })),
      ...old
        .filter((p) => !nextIds.has(JSON.stringify([p.orderId, p.itemId])))
        .map((p) => w({ DeleteRequest: { Key: { order_id: p.orderId, item_id: p.itemId } } })),
      ...old
        .filter((p) => !nextItems.has(p.itemId))
        .map((p) => w({ DeleteRequest: { Key: { order_id: itemPk(p.itemId), item_id: OWNER } } })),
      ...next.map((f) => w({ PutRequest: { Item: { ...orderKey(f), ...fields(f) } } })),
      ...next.map((f) =>
        w({
          PutRequest: {
            Item: {
              order_id: itemPk(f.itemId),
              item_id: OWNER,
              owner: f.orderId,
              date: utcDate(f.orderCreatedAt),
            },
          },
        }),
      ),
    ]);
    return touchedDates(
      old.map((p) => p.date),
      next,
    );
  }

  async forDates(dates: readonly string[]): Promise<Fact[]> {
    const found = await mapLimit([...new Set(dates)], 8, (d) => this.queryAll(datePk(d)));
    return found.flat().map(factOf).sort(byOrderThenItem);
  }

  async count(): Promise<number> {
    const copies = await scanAll(this.doc, {
      TableName: this.table,
      FilterExpression: 'begins_with(order_id, :d)',
      ExpressionAttributeValues: { ':d': DATE },
      ProjectionExpression: 'order_id',
    });
    return copies.length;
  }

  async touchedBy(orderIds: readonly string[], facts: readonly Fact[]): Promise<string[]> {
    const orders = [...replacedOrders(orderIds, facts)];
    const markers = await batchGetAll(
      this.doc,
      this.table,
      orders.map((o) => ({ order_id: o, item_id: MARKER })),
    );
    const stored = markers.map((m) => m['order_id'] as string);
    const ofOrders = (await mapLimit(stored, 16, (o) => this.orderFacts(o))).flat().map(placed);
    const owners = await batchGetAll(
      this.doc,
      this.table,
      facts.map((f) => ({ order_id: itemPk(f.itemId), item_id: OWNER })),
    );
    const before = [...ofOrders.map((p) => p.date), ...owners.map((o) => o['date'] as string)];
    return touchedDates(before, facts);
  }

  private async orderFacts(orderId: string): Promise<Fact[]> {
    return (await this.queryAll(orderId)).filter((i) => i['item_id'] !== MARKER).map(factOf);
  }

  private queryAll(pk: string): Promise<Item[]> {
    return queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'order_id = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    });
  }

  async reset(): Promise<void> {
    await clearTable(this.doc, this.table, ['order_id', 'item_id']);
  }
}
