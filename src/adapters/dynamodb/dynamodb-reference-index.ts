// ReferenceIndex on DynamoDB (item layout in dynamodb-reference-items.ts). A registration
// writes the landed rows first and only then reads, with strongly consistent reads, the orders
// they touch: of two racing landings that together complete an order, the later read sees both,
// so the completion is never missed. Completion itself is claimed with a conditional put of
// (order, fingerprint), so it is won exactly once. A claim belongs to the landing's stagedKey:
// re-running the same landing after a crash returns the same completions again.
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { completionOf, lacksOf } from '../../domain/order-completion.decider.js';
import type {
  CompletedOrder,
  LandingKeys,
  PendingOrder,
  ReferenceIndex,
} from '../../ports/reference-index.port.js';
import { batchGetAll, batchWriteAll, type Item, type TableWrite } from './dynamodb-batch.js';
import * as K from './dynamodb-reference-items.js';
import { mapLimit } from './map-limit.js';

const PARALLEL = 16;
const unique = (xs: Iterable<string>): string[] => [...new Set(xs)];

export class DynamoDbReferenceIndex implements ReferenceIndex {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async register(landing: LandingKeys, now: number): Promise<CompletedOrder[]> {
    const touched = await this.withOrderRow(landing, await this.writeRows(landing, now));
    const state = (await this.load(touched)).state();
    const complete = touched.flatMap((id) => completionOf(state, id) ?? []);
    const won = await this.claimAll(complete, landing);
    // a complete order no longer waits for products (its fingerprint ignores product rows)
    await this.write(
      won.flatMap((c) => {
        const items = state.orders.get(c.orderId)?.itemIds ?? new Set<string>();
        const products = unique([...items].map((i) => state.items.get(i)?.productId ?? ''));
        return products.map((p) => ({ pk: K.productPk(p), sk: K.waitSk(c.orderId) }));
      }),
      'delete',
    );
    return won.sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
  }

  /** Only orders whose row has landed can be complete: the others need not be loaded. */
  private async withOrderRow(landing: LandingKeys, orderIds: string[]): Promise<string[]> {
    if (landing.dataset === 'orders') return orderIds;
    const rows = await batchGetAll(
      this.doc,
      this.table,
      orderIds.map((id) => ({ pk: K.orderPk(id), sk: K.ROW })),
    );
    const have = new Set(rows.map((r) => r['pk'] as string));
    return orderIds.filter((id) => have.has(K.orderPk(id)));
  }

  /** Claims completions 100 to a transaction; one whose claim exists is lost, the rest retried. */
  private async claimAll(
    completions: readonly CompletedOrder[],
    landing: LandingKeys,
  ): Promise<CompletedOrder[]> {
    const won: CompletedOrder[] = [];
    for (let i = 0; i < completions.length; i += 100) {
      let pending = completions.slice(i, i + 100);
      while (pending.length > 0) {
        try {
          await this.doc.send(
            new TransactWriteCommand({
              TransactItems: pending.map((c) => ({
                Put: this.claimPut(c.orderId, c.fingerprint, landing),
              })),
            }),
          );
          won.push(...pending);
          pending = [];
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          const reasons = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
          const lost = (j: number) => reasons[j] === 'ConditionalCheckFailed';
          if (!pending.some((_, j) => lost(j))) {
            // a conflict with a racing transaction, not a lost claim: claim one by one
            const single = await mapLimit(pending, PARALLEL, (c) => this.claim(c, landing));
            won.push(...pending.filter((_, j) => single[j]));
            pending = [];
          } else {
            pending = pending.filter((_, j) => !lost(j));
          }
        }
      }
    }
    return won;
  }

  private claimPut(orderId: string, fp: string, landing: LandingKeys) {
    return {
      TableName: this.table,
      Item: { pk: K.orderPk(orderId), sk: K.claimSk(fp), by: landing.stagedKey },
      ConditionExpression: 'attribute_not_exists(pk) OR #by = :me',
      ExpressionAttributeNames: { '#by': 'by' },
      ExpressionAttributeValues: { ':me': landing.stagedKey },
    };
  }

  /** Stores the landing's rows; returns the orders whose completion they can change. */
  private async writeRows(landing: LandingKeys, now: number): Promise<string[]> {
    const at = (i: number) => ({
      key: landing.fileKey,
      stagedKey: landing.stagedKey,
      hash: landing.hashes[i] ?? '',
    });
    const fileItems = (orderIds: readonly string[]): Item[] => [
      { pk: K.filePk(landing.fileKey), sk: K.FILE, dataset: landing.dataset },
      ...unique(orderIds).map((o) => ({ pk: K.filePk(landing.fileKey), sk: K.fileOrderSk(o) })),
    ];
    switch (landing.dataset) {
      case 'orders': {
        const rows = landing.orderIds.map((id, i) => {
          const n = landing.numOfItems[i];
          return {
            pk: K.orderPk(id),
            sk: K.ROW,
            ...at(i),
            numOfItems: n === undefined || Number.isNaN(n) ? null : n,
            createdAt: landing.createdAt[i] ?? null,
          };
        });
        await this.markSeen(landing.orderIds, now);
        await this.write([...rows, ...fileItems(landing.orderIds)], 'put');
        return unique(landing.orderIds);
      }
      case 'order_items': {
        const before = await batchGetAll(
          this.doc,
          this.table,
          unique(landing.itemIds).map((id) => ({ pk: K.itemPk(id), sk: K.ITEM })),
        );
        const oldOrder = new Map(before.map((i) => [i['pk'] as string, i['orderId'] as string]));
        const moved: Item[] = [];
        const puts: Item[] = [];
        const touched = new Set<string>();
        landing.itemIds.forEach((itemId, i) => {
          const orderId = landing.orderIds[i] ?? '';
          const productId = landing.productIds[i] ?? '';
          const old = oldOrder.get(K.itemPk(itemId));
          if (old !== undefined && old !== orderId) {
            moved.push({ pk: K.orderPk(old), sk: K.memberSk(itemId) });
            touched.add(old);
          }
          touched.add(orderId);
          puts.push(
            { pk: K.itemPk(itemId), sk: K.ITEM, orderId },
            { pk: K.orderPk(orderId), sk: K.memberSk(itemId), ...at(i), productId },
            { pk: K.productPk(productId), sk: K.waitSk(orderId) },
          );
        });
        await this.markSeen(landing.orderIds, now);
        await this.write([...puts, ...fileItems(landing.orderIds)], 'put');
        await this.write(moved, 'delete');
        return [...touched];
      }
      case 'products': {
        const rows = landing.productIds.map((id, i) => ({
          pk: K.productPk(id),
          sk: K.PRODUCT,
          ...at(i),
        }));
        await this.write([...rows, ...fileItems([])], 'put');
        const waiting = await mapLimit(unique(landing.productIds), PARALLEL, (p) =>
          this.queryAll({
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)',
            ExpressionAttributeValues: { ':pk': K.productPk(p), ':w': 'W#' },
          }),
        );
        return unique(waiting.flat().map((i) => (i['sk'] as string).slice(2)));
      }
    }
  }

  /** Records when an order was first mentioned (a racing landing may win by a few ms). */
  private async markSeen(orderIds: readonly string[], now: number): Promise<void> {
    const ids = unique(orderIds);
    const seen = await batchGetAll(
      this.doc,
      this.table,
      ids.map((id) => ({ pk: K.orderPk(id), sk: K.SEEN })),
    );
    const known = new Set(seen.map((i) => i['pk'] as string));
    await this.write(
      ids
        .filter((id) => !known.has(K.orderPk(id)))
        .map((id) => ({ pk: K.orderPk(id), sk: K.SEEN, firstSeenAt: now })),
      'put',
    );
  }

  private async claim(c: CompletedOrder, landing: LandingKeys): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand(this.claimPut(c.orderId, c.fingerprint, landing)));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Consistent reads of whole order partitions and of the products their items reference. */
  private async load(orderIds: readonly string[]): Promise<K.StateBuilder> {
    const builder = new K.StateBuilder();
    const partitions = await mapLimit(unique(orderIds), PARALLEL, (id) =>
      this.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': K.orderPk(id) },
      }),
    );
    partitions.flat().forEach((i) => builder.add(i));
    const products = await batchGetAll(
      this.doc,
      this.table,
      builder.productIds().map((p) => ({ pk: K.productPk(p), sk: K.PRODUCT })),
    );
    products.forEach((i) => builder.add(i));
    return builder;
  }

  async pending(): Promise<PendingOrder[]> {
    const builder = new K.StateBuilder();
    (await this.scanAll()).forEach((i) => builder.add(i));
    const state = builder.state();
    return [...state.orders.keys()]
      .filter((id) => completionOf(state, id) === null)
      .sort()
      .flatMap((id) => lacksOf(state, id) ?? []);
  }

  async completedCount(): Promise<number> {
    const claims = await this.scanAll({
      FilterExpression: 'begins_with(sk, :c)',
      ExpressionAttributeValues: { ':c': 'C#' },
    });
    return new Set(claims.map((i) => i['pk'])).size;
  }

  async filesWhollyCompleted(fileKeys: readonly string[]): Promise<string[]> {
    const done = await mapLimit(fileKeys, PARALLEL, async (fileKey) => {
      const marker = await this.doc.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: K.filePk(fileKey), sk: K.FILE },
          ConsistentRead: true,
        }),
      );
      if (marker.Item === undefined) return false;
      if (marker.Item['dataset'] === 'products') return true;
      const orders = (
        await this.queryAll({
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :o)',
          ExpressionAttributeValues: { ':pk': K.filePk(fileKey), ':o': 'O#' },
        })
      ).map((i) => (i['sk'] as string).slice(2));
      const state = (await this.load(orders)).state();
      return orders.every((o) => completionOf(state, o) !== null);
    });
    return fileKeys.filter((_, i) => done[i]);
  }

  private async write(items: readonly Item[], kind: 'put' | 'delete'): Promise<void> {
    // one request per key: BatchWriteItem refuses two requests on the same item
    const byKey = new Map(items.map((i) => [`${i['pk']}\u0000${i['sk']}`, i]));
    const writes: TableWrite[] = [...byKey.values()].map((i) => ({
      table: this.table,
      request:
        kind === 'put'
          ? { PutRequest: { Item: i } }
          : { DeleteRequest: { Key: { pk: i['pk'], sk: i['sk'] } } },
    }));
    await batchWriteAll(this.doc, writes);
  }

  private async queryAll(
    input: Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<Item[]> {
    const found: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          ...input,
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      found.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return found;
  }

  private async scanAll(filter: Record<string, unknown> = {}): Promise<Item[]> {
    const found: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          ConsistentRead: true,
          ...filter,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      found.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return found;
  }
}
