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
  TransactWriteCommand,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { completionOf, lacksOf } from '../../domain/order-completion.decider.js';
import type {
  CompletedOrder,
  LandingKeys,
  PendingOrder,
  ReferenceIndex,
} from '../../ports/reference-index.port.js';
import { batchGetAll, type Item } from './dynamodb-batch.js';
import { queryAll, scanAll } from './dynamodb-read.js';
import * as K from './dynamodb-reference-items.js';
import { ReferenceRowWriter } from './dynamodb-reference-writes.js';
import { mapLimit } from './map-limit.js';

const PARALLEL = 16;
const unique = (xs: Iterable<string>): string[] => [...new Set(xs)];

export class DynamoDbReferenceIndex implements ReferenceIndex {
  private readonly doc: DynamoDBDocumentClient;
  private readonly rows: ReferenceRowWriter;

  constructor(
    client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
    this.rows = new ReferenceRowWriter(this.doc, table);
  }

  async register(landing: LandingKeys, now: number): Promise<CompletedOrder[]> {
    const touched = await this.withOrderRow(landing, await this.rows.writeRows(landing, now));
    const state = (await this.load(touched)).state();
    const complete = touched.flatMap((id) => completionOf(state, id) ?? []);
    const won = await this.claimAll(complete, landing);
    // a complete order no longer waits for products (its fingerprint ignores product rows)
    await this.rows.write(
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

  private queryAll(
    input: Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<Item[]> {
    return queryAll(this.doc, { TableName: this.table, ...input });
  }

  private scanAll(filter: Partial<ScanCommandInput> = {}): Promise<Item[]> {
    return scanAll(this.doc, { TableName: this.table, ...filter });
  }
}
