// ReferenceIndex on DynamoDB (item layout in dynamodb-reference-items.ts). A registration
// writes the landed rows first and only then reads, with strongly consistent reads, the orders
// they touch: of two racing landings that together complete an order, the later read sees both,
// so the completion is never missed. An order is reported when it is complete and its content
// fingerprint differs from its last reported one (A, B, A reports three times): the report is
// claimed by a conditional write of the order's DONE item on the fingerprint it replaces, so
// each change is won exactly once; a landing that loses reads the order again and retries if
// its content still differs. DONE names the landing (stagedKey) that won it: re-running the same
// landing after a crash returns the same completions again.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { completionColumnsOf } from '../../domain/completion-columns.js';
import { completionOf, isComplete, lacksOf } from '../../domain/order-completion.decider.js';
import type {
  CompletedOrder,
  CompletionColumns,
  LandingKeys,
  PendingOrder,
  ReferenceIndex,
} from '../../ports/reference-index.port.js';
import { batchGetAll, IN_FLIGHT, type Item } from './dynamodb-batch.js';
import { queryAll, scanAll } from './dynamodb-read.js';
import { CompletionClaims, type Claim } from './dynamodb-reference-claims.js';
import * as K from './dynamodb-reference-items.js';
import { ReferenceRowWriter } from './dynamodb-reference-writes.js';
import { mapLimit } from './map-limit.js';
import { clearTable } from './dynamodb-clear-table.js';

/** rounds of read-and-claim before a register gives up (a thrown register is retried whole) */
const MAX_ROUNDS = 20;
const unique = (xs: Iterable<string>): string[] => [...new Set(xs)];

export class DynamoDbReferenceIndex implements ReferenceIndex {
  private readonly doc: DynamoDBDocumentClient;
  private readonly rows: ReferenceRowWriter;
  private readonly claims: CompletionClaims;

  constructor(
    client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
    this.rows = new ReferenceRowWriter(this.doc, table);
    this.claims = new CompletionClaims(this.doc, table);
  }

  async register(landing: LandingKeys, now: number): Promise<CompletionColumns> {
    // A products landing finds its orders through their W# items, which go once the order is
    // complete: a re-run of it (its process died after the append of GroupCompleted, before the
    // publish) finds the orders it completed under its own key and answers as the first time.
    const before = landing.dataset === 'products' ? await this.completedBy(landing.stagedKey) : [];
    const touched = await this.rows.writeRows(landing, now);
    let todo = await this.withOrderRow(landing, unique([...touched, ...before]));
    const won: CompletedOrder[] = [];
    const waits: Item[] = [];
    for (let round = 0; todo.length > 0; round++) {
      // each lost claim means another landing reported a change of that order: progress
      if (round === MAX_ROUNDS) {
        throw new Error(`completion of ${todo.length} order(s) still contended: ${todo[0]}`);
      }
      const loaded = await this.load(todo);
      const state = loaded.state();
      const claims: Claim[] = [];
      const mine: CompletedOrder[] = [];
      for (const id of todo) {
        const c = completionOf(state, id);
        if (c === null) continue;
        const last = loaded.lastCompletion(id);
        if (last?.fp !== c.fingerprint) claims.push({ c, previous: last?.fp ?? null });
        // this landing already reported this content (a re-run, or a retried write)
        else if (last.by === landing.stagedKey) mine.push(c);
      }
      const { claimed, lost } = await this.claims.claimAll(claims, landing.stagedKey);
      mine.push(...claimed);
      won.push(...mine);
      // a complete order no longer waits for products (its fingerprint ignores product rows)
      for (const c of mine) {
        const items = state.orders.get(c.orderId)?.itemIds ?? new Set<string>();
        const products = unique([...items].map((i) => state.items.get(i)?.productId ?? ''));
        waits.push(...products.map((p) => ({ pk: K.productPk(p), sk: K.waitSk(c.orderId) })));
      }
      todo = lost;
    }
    if (landing.dataset === 'products') {
      const mine = won.map((c) => ({
        pk: K.landingPk(landing.stagedKey),
        sk: K.waitSk(c.orderId),
      }));
      await this.rows.write(mine, 'put');
    }
    await this.rows.write(waits, 'delete');
    return completionColumnsOf(
      won.sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0)),
    );
  }

  private async completedBy(stagedKey: string): Promise<string[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': K.landingPk(stagedKey) },
    });
    return items.map((i) => (i['sk'] as string).slice(2));
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

  /**
   * Consistent reads of whole order partitions and of the products their items reference. The
   * DONE items are read first, on their own: a DONE newer than the rows read with it could
   * let a landing that read stale rows claim an old version over a newer one. Read before the
   * rows, a DONE written by another landing implies that landing's rows are visible too.
   * `lastCompletion` is only needed to claim: a reader that only asks whether orders are
   * complete passes false and saves the DONE reads.
   */
  private async load(orderIds: readonly string[], lastCompletion = true): Promise<K.StateBuilder> {
    const builder = new K.StateBuilder();
    const ids = unique(orderIds);
    const done = lastCompletion
      ? await batchGetAll(
          this.doc,
          this.table,
          ids.map((id) => ({ pk: K.orderPk(id), sk: K.DONE })),
        )
      : [];
    const partitions = await mapLimit(ids, IN_FLIGHT, (id) =>
      this.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': K.orderPk(id) },
      }),
    );
    partitions
      .flat()
      .filter((i) => i['sk'] !== K.DONE)
      .forEach((i) => builder.add(i));
    done.forEach((i) => builder.add(i));
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
    const done = await this.scanAll({
      FilterExpression: 'sk = :done',
      ExpressionAttributeValues: { ':done': K.DONE },
    });
    return done.length;
  }

  async filesWhollyCompleted(fileKeys: readonly string[]): Promise<string[]> {
    const markers = await batchGetAll(
      this.doc,
      this.table,
      unique(fileKeys).map((fileKey) => ({ pk: K.filePk(fileKey), sk: K.FILE })),
    );
    const dataset = new Map(markers.map((m) => [m['pk'] as string, m['dataset'] as string]));
    // a file never registered is not completed; a products file names no orders; the others'
    // shard partitions are read IN_FLIGHT at a time over all the files (17 a file)
    const kindOf = (fileKey: string) => dataset.get(K.filePk(fileKey));
    const withOrders = fileKeys.filter((f) => kindOf(f) !== undefined && kindOf(f) !== 'products');
    const shards = withOrders.flatMap((fileKey) =>
      K.fileOrderPks(fileKey).map((pk) => ({ fileKey, pk })),
    );
    const found = await mapLimit(shards, IN_FLIGHT, ({ pk }) =>
      this.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :o)',
        ExpressionAttributeValues: { ':pk': pk, ':o': 'O#' },
      }),
    );
    const named = new Map<string, string[]>();
    shards.forEach(({ fileKey }, i) => {
      const orders = named.get(fileKey) ?? [];
      for (const item of found[i] ?? []) orders.push((item['sk'] as string).slice(2));
      named.set(fileKey, orders);
    });
    // An order is in several files (its row in one, its items in others): the group's files
    // share most of their orders, so they are loaded once for all the files, not once per file
    // (one Query per order: lab-data's 26 files name its 9,000 orders 18,013 times).
    const state = (await this.load(unique([...named.values()].flat()), false)).state();
    return fileKeys.filter((fileKey) => {
      const kind = kindOf(fileKey);
      if (kind === undefined) return false;
      if (kind === 'products') return true;
      return (named.get(fileKey) ?? []).every((o) => isComplete(state, o));
    });
  }

  private queryAll(
    input: Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<Item[]> {
    return queryAll(this.doc, { TableName: this.table, ...input });
  }

  private scanAll(filter: Partial<ScanCommandInput> = {}): Promise<Item[]> {
    return scanAll(this.doc, { TableName: this.table, ...filter });
  }

  async reset(): Promise<void> {
    await clearTable(this.doc, this.table, ['pk', 'sk']);
  }
}
