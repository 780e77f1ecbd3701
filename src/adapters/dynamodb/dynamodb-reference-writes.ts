// Writes of the grouping index (item layout in dynamodb-reference-items.ts): a landing's rows,
// the orders they touch, and plain batched puts and deletes.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LandingKeys } from '../../ports/reference-index.port.js';
import {
  batchGetAll,
  batchWriteAll,
  IN_FLIGHT,
  type Item,
  type TableWrite,
} from './dynamodb-batch.js';
import { queryAll } from './dynamodb-read.js';
import * as K from './dynamodb-reference-items.js';
import { mapLimit } from './map-limit.js';

const unique = (xs: Iterable<string>): string[] => [...new Set(xs)];

export class ReferenceRowWriter {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores the landing's rows; returns the orders whose completion they can change. */
  async writeRows(landing: LandingKeys, now: number): Promise<string[]> {
    const at = (i: number) => ({
      key: landing.fileKey,
      stagedKey: landing.stagedKey,
      hash: landing.hashes[i] ?? '',
    });
    const fileItems = (orderIds: readonly string[]): Item[] => [
      { pk: K.filePk(landing.fileKey), sk: K.FILE, dataset: landing.dataset },
      ...unique(orderIds).map((o) => ({
        pk: K.fileOrderPk(landing.fileKey, o),
        sk: K.fileOrderSk(o),
      })),
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
        const waiting = await mapLimit(unique(landing.productIds), IN_FLIGHT, (p) =>
          queryAll(this.doc, {
            TableName: this.table,
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

  async write(items: readonly Item[], kind: 'put' | 'delete'): Promise<void> {
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
}
