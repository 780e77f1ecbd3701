// FactStore on DynamoDB. The facts table holds:
//   (order_id, item_id)                       a fact, by order: what replacing an order must
//                                             remove; also indexed by_date for analytics readers
//   (<order>, #order)                         marks an order that has facts
//   (#item#<item>, #owner)                    the order (and date) an item's fact is under now
//   (#date#<YYYY-MM-DD>, <order>)             the order's contribution to its day's KPI totals
//                                             (dynamodb-order-contributions.ts): KPIs of a date
//                                             are one strongly consistent Query of its partition,
//                                             O(orders of the date) small rows, never the facts
// A replace writes the contributions first and the by-order items last, so re-running a replace
// that crashed half-way finds the same old facts and converges. Concurrent replaces of different
// orders of one date write different rows: no lost update.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  contributionsOf,
  totalsOfContributions,
  type OrderContribution,
} from '../../domain/kpi/order-contributions.js';
import {
  contributionItem,
  contributionKey,
  contributionOf,
  DATE,
} from './dynamodb-order-contributions.js';
import { queryAll } from './dynamodb-read.js';
import { rawScanAll } from './dynamodb-exact-numbers.js';
import { contributionsOfDate, dynamoDbPeriodTotals } from './dynamodb-period-totals.js';
import type { RollUp } from '../../domain/kpi/kpi-periods.js';
import { utcDate } from '../../domain/dates.js';
import { factsOf, type FactColumns } from '../../domain/kpi/fact-columns.js';
import type { Fact, KpiTotals } from '../../domain/kpi/kpi.types.js';
import type { FactStore } from '../../ports/fact-store.port.js';
import { batchGetAll, batchWriteAll, type Item, type TableWrite } from './dynamodb-batch.js';
import { mapLimit } from './map-limit.js';
import { byOrderThenItem, replacedOrders, touchedDates } from '../shared/fact-rows.js';
import { clearTable } from './dynamodb-clear-table.js';

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
const orderKey = (f: Fact) => ({
  order_id: f.orderId,
  item_id: f.itemId,
  order_date: utcDate(f.orderCreatedAt),
  fact_order_id: f.orderId,
  fact_item_id: f.itemId,
});
/** (order_id, MARKER) marks an order that has facts, so a replace skips querying new orders */
const MARKER = '#order';

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
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async replaceOrders(orderIds: readonly string[], columns: FactColumns): Promise<string[]> {
    // DynamoDB writes one item per fact, so each becomes an object here anyway; the item id is a
    // fact's key: a repeated item replaces the earlier one
    const next = [...new Map(factsOf(columns).map((f) => [f.itemId, f])).values()];
    const orders = replacedOrders(orderIds, columns);
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
    const nextIds = new Set(next.map((f) => JSON.stringify([f.orderId, f.itemId])));
    const nextItems = new Set(next.map((f) => f.itemId));
    // the orders items moved out of keep their other facts: their contributions are recomputed
    const leftBehind = [...new Set(moved.map((p) => p.orderId))];
    const remaining = (await mapLimit(leftBehind, 16, (o) => this.orderFacts(o)))
      .flat()
      .filter((f) => !nextItems.has(f.itemId));
    const contributions = contributionsOf([...next, ...remaining]);
    const w = (request: TableWrite['request']): TableWrite => ({ table: this.table, request });
    const kept = new Set(contributions.map((c) => JSON.stringify(contributionKey(c))));
    const oldKeys = new Map(
      old.map((p) => {
        const key = contributionKey(p);
        return [JSON.stringify(key), key];
      }),
    );
    await batchWriteAll(this.doc, [
      ...[...oldKeys].filter(([k]) => !kept.has(k)).map(([, Key]) => w({ DeleteRequest: { Key } })),
      ...contributions.map((c) => w({ PutRequest: { Item: contributionItem(c) } })),
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
      columns,
    );
  }

  /** null: facts are written by many Lambdas at once and DynamoDB has no cheap change counter */
  async version(): Promise<string | null> {
    return null;
  }

  async kpiTotals(dates: readonly string[]): Promise<KpiTotals> {
    const found = await mapLimit([...new Set(dates)], 8, (d) => this.contributions(d));
    return totalsOfContributions(found.flat());
  }

  async forDates(dates: readonly string[]): Promise<Fact[]> {
    const wanted = new Set(dates);
    const orders = (await mapLimit([...wanted], 8, (d) => this.contributions(d))).flat();
    const facts = await mapLimit(orders, 16, (c) => this.orderFacts(c.orderId));
    return facts
      .flat()
      .filter((f) => wanted.has(utcDate(f.orderCreatedAt)))
      .sort(byOrderThenItem);
  }

  async count(): Promise<number> {
    const contributions = await rawScanAll(this.client, {
      TableName: this.table,
      FilterExpression: 'begins_with(order_id, :d)',
      ExpressionAttributeValues: { ':d': { S: DATE } },
    });
    return contributions.map(contributionOf).reduce((n, c) => n + c.items, 0);
  }

  private contributions(date: string): Promise<OrderContribution[]> {
    return contributionsOfDate(this.client, this.table, date);
  }

  periodTotals(dates: readonly string[], by: RollUp): Promise<KpiTotals> {
    return dynamoDbPeriodTotals(this.client, this.table, dates, by);
  }

  async touchedBy(orderIds: readonly string[], facts: FactColumns): Promise<string[]> {
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
      facts.itemId.map((itemId) => ({ order_id: itemPk(itemId), item_id: OWNER })),
    );
    const before = [...ofOrders.map((p) => p.date), ...owners.map((o) => o['date'] as string)];
    return touchedDates(before, facts);
  }

  private async orderFacts(orderId: string): Promise<Fact[]> {
    const rows = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'order_id = :pk',
      ExpressionAttributeValues: { ':pk': orderId },
    });
    return rows.filter((i) => i['item_id'] !== MARKER).map(factOf);
  }

  async reset(): Promise<void> {
    await clearTable(this.doc, this.table, ['order_id', 'item_id']);
  }
}
