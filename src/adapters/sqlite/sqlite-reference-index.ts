// The grouping index in SQLite, set-based. Each register is one IMMEDIATE transaction: the
// landing's key columns go into TEMP tables (many rows per insert) and the index tables, then a
// few statements over the whole set find the orders it touched, and one query reads each touched
// order's items once, telling which are complete (order row, num_of_item items, every product)
// and streaming the complete ones back: those whose fingerprint changed go straight into the
// answer's columns (no object per order or row location), and every order's completeness and
// reported fingerprint are written in one UPDATE of its row.
// It answers exactly what the completion decider (src/domain/order-completion.decider.ts, the
// readable rule) answers; the contract's property test proves it on random landings.
// A landing (by stagedKey, which is content-addressed) registered again gets the answer of its
// first registration: a process killed after the commit but before it recorded the groups can
// run again and still learn what completed.
import {
  CompletionColumnsBuilder,
  type CompletionColumns,
} from '../../domain/completion-columns.js';
import type {
  LandingKeys,
  PendingOrder,
  ReferenceIndex,
} from '../../ports/reference-index.port.js';
import type { SqliteDb } from './sqlite-database.js';
import { addChangedCompletions, completionSources } from './sqlite-reference-completions.js';
import { ChunkedHashInsert, ChunkedInsert, hashBytes } from './sqlite-reference-staging.js';
import { hexOfRow } from '../../domain/hex-words.js';
import { referenceStatements, type Statements } from './sqlite-reference-statements.js';
import { clearTables } from './sqlite-clear.js';
import { COLUMNS, completionsRecordParts, storedCompletions } from './sqlite-landing-record.js';

// SQLite turns NaN into NULL anyway; say so explicitly
const orNull = (v: number | undefined): number | null =>
  v === undefined || Number.isNaN(v) ? null : v;

export class SqliteReferenceIndex implements ReferenceIndex {
  private readonly s: Statements;
  private readonly orderRows: ChunkedInsert;
  private readonly itemRows: ChunkedInsert;
  private readonly itemHashRows: ChunkedHashInsert;
  private readonly registerTx;

  constructor(private readonly db: SqliteDb) {
    this.s = referenceStatements(db);
    this.orderRows = new ChunkedInsert(db, 't_order_rows', 4);
    this.itemRows = new ChunkedInsert(db, 't_item_rows', 4);
    this.itemHashRows = new ChunkedHashInsert(db, 't_item_rows', 3);
    this.registerTx = db.transaction((landing: LandingKeys, now: number) =>
      this.registerNow(landing, now),
    );
  }

  async register(landing: LandingKeys, now: number): Promise<CompletionColumns> {
    return this.registerTx.immediate(landing, now);
  }

  private sourceId(fileKey: string, stagedKey: string): number {
    const found = this.s.source.get(stagedKey, fileKey);
    if (found !== undefined) return found.source;
    return Number(this.s.putSource.run(fileKey, stagedKey).lastInsertRowid);
  }

  /**
   * the landing's rows into the index tables and its touched orders into t_touched (a method of
   * its own, so nothing of the keys is held once it returns)
   */
  private stage(landing: LandingKeys, source: number, now: number): void {
    const { s } = this;
    const words = landing.hashWords;
    // a row's hash as text (ri_orders and ri_products keep text), from the words when given
    const hashAt =
      words === undefined
        ? (i: number): string => landing.hashes[i] ?? ''
        : (i: number): string => hexOfRow(words, i);
    if (landing.dataset !== 'products') s.clearFileOrders.run(landing.fileKey);
    switch (landing.dataset) {
      case 'orders': {
        const { orderIds, numOfItems, createdAt } = landing;
        this.orderRows.run(orderIds.length, (i, out, at) => {
          out[at] = orderIds[i] ?? '';
          out[at + 1] = hashAt(i);
          out[at + 2] = orNull(numOfItems[i]);
          out[at + 3] = orNull(createdAt[i]);
        });
        s.putOrders.run(now, source);
        s.touchOrders.run();
        s.putFileOrders.run(source);
        break;
      }
      case 'order_items': {
        const { itemIds, orderIds, productIds } = landing;
        if (words === undefined)
          this.itemRows.run(itemIds.length, (i, out, at) => {
            out[at] = itemIds[i] ?? '';
            out[at + 1] = orderIds[i] ?? '';
            out[at + 2] = productIds[i] ?? '';
            out[at + 3] = landing.hashes[i] ?? '';
          });
        else
          // the hashes as the bytes ri_items keeps, bound a statement's rows at a time
          this.itemHashRows.run(itemIds.length, hashBytes(words), (i, out, at) => {
            out[at] = itemIds[i] ?? '';
            out[at + 1] = orderIds[i] ?? '';
            out[at + 2] = productIds[i] ?? '';
          });
        s.touchItemOrders.run();
        s.putFileOrders.run(source);
        s.touchOldOrders.run();
        s.newOrders.run(now);
        s.putItems.run(source);
        break;
      }
      case 'products':
        landing.productIds.forEach((id, i) => {
          s.putProduct.run(id, hashAt(i), source);
          s.stageProduct.run(id);
        });
        s.touchWaiting.run();
        break;
    }
  }

  private registerNow(landing: LandingKeys, now: number): CompletionColumns {
    const { s } = this;
    const earlier = s.landing.get(landing.stagedKey);
    if (earlier !== undefined)
      return storedCompletions(earlier.completions, () =>
        s.landingParts.iterate(landing.stagedKey),
      );
    for (const c of s.clear) c.run();
    const source = this.sourceId(landing.fileKey, landing.stagedKey);
    this.stage(landing, source, now);
    // every key is in the TEMP tables now: a big landing's columns (3M items: ~350 MB of
    // strings) need not live through the completion query and the answer's columns
    landing.release?.();
    s.putFile.run(landing.fileKey, landing.dataset);
    const into = new CompletionColumnsBuilder();
    const changes = addChangedCompletions(
      s.completions.iterate(),
      completionSources(s, into),
      into,
    );
    const completed = into.build();
    // Recorded as reported, with the touched orders' completeness (each row written once). The
    // fingerprints replaced were read in this IMMEDIATE transaction, so no other landing can
    // have reported these orders since: setting them is the compare-and-set, and each change
    // is returned by this landing alone.
    completed.orderIds.forEach((id, i) =>
      s.setCompleted.run(completed.fingerprints[i] as string, id),
    );
    for (const id of changes.complete) s.setComplete.run(1, id);
    for (const id of changes.incomplete) s.setComplete.run(0, id);
    s.putLanding.run(landing.stagedKey, COLUMNS);
    let part = 0;
    for (const bytes of completionsRecordParts(completed))
      s.putLandingPart.run(landing.stagedKey, part++, bytes);
    return completed;
  }

  async pending(): Promise<PendingOrder[]> {
    const missing = new Map<string, string[]>();
    for (const r of this.s.missingProducts.all()) {
      missing.set(r.order_id, [...(missing.get(r.order_id) ?? []), r.product_id]);
    }
    return this.s.pending.all().map((r) => ({
      orderId: r.order_id,
      hasOrderRow: r.hash !== null,
      expectedItems: r.num_of_items,
      landedItems: r.landed,
      missingProducts: missing.get(r.order_id) ?? [],
      firstSeenAt: r.first_seen_at,
    }));
  }

  async completedCount(): Promise<number> {
    return this.s.completedCount.get()?.n ?? 0;
  }

  async filesWhollyCompleted(fileKeys: readonly string[]): Promise<string[]> {
    return fileKeys.filter((key) => {
      const file = this.s.file.get(key);
      if (file === undefined) return false;
      return file.dataset === 'products' || this.s.fileHasIncomplete.get(key) === undefined;
    });
  }

  async reset(): Promise<void> {
    clearTables(this.db, { prefix: 'ri_' });
  }
}
