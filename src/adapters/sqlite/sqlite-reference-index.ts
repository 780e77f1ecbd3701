// The grouping index in SQLite, set-based. Each register is one IMMEDIATE transaction: the
// landing's key columns go into TEMP tables (many rows per insert) and the index tables, then a
// few statements over the whole set find the orders it touched, and one query reads each touched
// order's items once, telling which are complete (order row, num_of_item items, every product)
// and streaming the complete ones back: those whose fingerprint changed go straight into the
// answer's columns (no object per order or row location), and every order's completeness and
// reported fingerprint are written in one UPDATE of its row. An order_items landing opened
// batch by batch (openLanding, the register's worker) keeps its rows (LandingItems) and reads
// the orders it alone gives items to from them, the query then reading only the other touched
// orders (t_sql: earlier items, moved items' old orders, an item id named twice): at 1M items
// the worker's tail, where the landing waits, 3.0 -> 1.7 s of CPU (docs/performance.md, "Round
// 13: tail8").
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
  DatasetName,
  LandingKeys,
  PendingOrder,
  ReferenceIndex,
} from '../../ports/reference-index.port.js';
import type { SqliteDb } from './sqlite-database.js';
import {
  addChangedCompletions,
  CompletionAdder,
  completionSources,
  type CompletenessChanges,
} from './sqlite-reference-completions.js';
import { LandingItems, OwnItems } from './sqlite-reference-landing-items.js';
import { hashTextOf, LandingRows, type StagedKeys } from './sqlite-reference-rows.js';
import { idKey, idText } from './sqlite-id-key.js';
import {
  COMPLETED_CHUNK,
  referenceStatements,
  type Statements,
} from './sqlite-reference-statements.js';
import { clearTables } from './sqlite-clear.js';
import {
  COLUMNS,
  completionsRecordParts,
  completionsRecordPartsAsync,
  storedCompletions,
} from './sqlite-landing-record.js';
import { registerTrace, type RegisterTrace } from './sqlite-reference-trace.js';

/** the landing whose rows were staged: what registers them */
export interface Staged {
  readonly dataset: DatasetName;
  readonly fileKey: string;
  readonly stagedKey: string;
}

export class SqliteReferenceIndex implements ReferenceIndex {
  private readonly s: Statements;
  private readonly rows: LandingRows;
  private readonly registerTx;
  private readonly stagedTx;
  private readonly stageTx;
  /** the landing whose IMMEDIATE transaction openLanding opened (source -1: registered before) */
  private open: {
    staged: Staged;
    source: number;
    earlier?: CompletionColumns;
    /** its rows, when its own orders' completion is read from them (see openLanding) */
    items?: LandingItems;
    /** whether ri_items held rows when it opened (else no order had earlier items) */
    hadItems?: boolean;
    /** an orders landing's register time, given at open: its rows go in batch by batch */
    now?: number;
  } | null = null;
  private trace: RegisterTrace | undefined;

  constructor(private readonly db: SqliteDb) {
    this.s = referenceStatements(db);
    this.rows = new LandingRows(db, this.s);
    this.registerTx = db.transaction((landing: LandingKeys, now: number) =>
      this.registerNow(landing, now),
    );
    this.stagedTx = db.transaction((staged: Staged, now: number) =>
      this.registerStaged(staged, now),
    );
    // a batch's TEMP rows as one (deferred) transaction of the TEMP tables alone: the database
    // file is neither read nor locked, so another connection's register is never held up
    this.stageTx = db.transaction((keys: StagedKeys) => this.rows.add(keys));
  }

  async register(landing: LandingKeys, now: number): Promise<CompletionColumns> {
    return this.registerTx.immediate(landing, now);
  }

  /**
   * Staging a landing's keys batch by batch on this connection (the worker of
   * SqliteWorkerReferenceIndex uses it): open, then add each batch as it comes, then
   * registerOpened. One landing at a time per connection: opening again forgets what was added.
   * - An order_items landing (given as `early`) opens its IMMEDIATE transaction at once and runs
   *   its set statements batch by batch (touched orders, file orders, the ri_items upsert: the
   *   whole set's statements applied batch after batch, in file order, give the same rows), so
   *   they too run while the file decodes; registerOpened adds the rest and commits.
   * - So does an orders landing given with its register's time `now` (the first_seen_at of the
   *   orders it is the first to name): the ri_orders upsert, its touched orders and file orders,
   *   batch after batch in file order (the last row of an order id wins, as in one statement).
   * - Any other landing stages its TEMP rows (each batch in a transaction of the TEMP tables
   *   alone, which locks nothing) and registerOpened runs the IMMEDIATE transaction.
   * abandonLanding rolls an open transaction back.
   */
  openLanding(early?: Staged, now?: number): void {
    this.abandonLanding();
    const orders = early?.dataset === 'orders' && now !== undefined;
    if (early === undefined || (early.dataset !== 'order_items' && !orders)) return;
    this.trace = registerTrace();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const earlier = this.earlier(early.stagedKey);
      if (earlier !== undefined) {
        this.open = { staged: early, source: -1, earlier };
        return;
      }
      const { s } = this;
      if (orders) {
        const source = this.sourceId(early.fileKey, early.stagedKey);
        s.clearFileOrders.run(early.fileKey);
        this.open = { staged: early, source, now };
        return;
      }
      const found = s.source.get(early.stagedKey, early.fileKey);
      const hadItems = s.anyItem.get() !== undefined;
      const source = this.sourceId(early.fileKey, early.stagedKey);
      s.clearFileOrders.run(early.fileKey);
      // a source made now names no row but this landing's (one found may, from an older state)
      const items = found === undefined ? new LandingItems() : undefined;
      this.open = { staged: early, source, items, hadItems };
    } catch (error) {
      this.abandonLanding();
      throw error;
    }
  }

  addToLanding(keys: StagedKeys): void {
    const { open, s } = this;
    if (open === null) {
      this.stageTx(keys);
      return;
    }
    if (open.earlier !== undefined) return;
    this.trace?.mark('wait for a batch');
    if (open.now !== undefined) {
      if (keys.dataset !== 'orders')
        throw new Error(`an orders landing given ${keys.dataset} keys`);
      this.rows.add(keys);
      s.putOrders.run(open.now, open.source);
      s.touchOrders.run();
      s.putFileRowOrders.run(open.source);
      s.clearOrderRows.run();
      this.trace?.mark('batch');
      return;
    }
    const { items } = open;
    this.rows.add(
      keys,
      items !== undefined && keys.dataset === 'order_items' ? items.add(keys) : undefined,
    );
    s.batchOrders.run();
    s.touchBatchOrders.run();
    s.putFileBatchOrders.run(open.source);
    if (items === undefined) s.touchOldOrders.run();
    else s.sqlOldOrders.run();
    s.putItems.run(open.source);
    // after the batch's own rows replaced those of its item ids: what is left of another
    // source stays the order's (an order without any is completed from the landing's rows)
    if (items !== undefined && open.hadItems === true) s.sqlForeignOrders.run(open.source);
    s.clearItemRows.run();
    s.clearBatchOrders.run();
    this.trace?.mark('batch');
  }

  /**
   * `answered` is given the answer as soon as it is computed, before the rest of the transaction
   * (the orders' states, the landing record) and its commit, when the landing was opened as an
   * order_items landing; it must not change the columns. What is answered early is not
   * registered until this resolves: if this rejects, the transaction rolled back.
   */
  async registerOpened(
    staged: Staged,
    now: number,
    answered: (completed: CompletionColumns) => void = () => undefined,
  ): Promise<CompletionColumns> {
    const { open } = this;
    if (open === null) return this.stagedTx.immediate(staged, now);
    try {
      if (open.staged.fileKey !== staged.fileKey || open.staged.stagedKey !== staged.stagedKey)
        throw new Error(`registered as ${staged.stagedKey}, opened as ${open.staged.stagedKey}`);
      if (open.now !== undefined && open.now !== now)
        throw new Error(`registered at ${now}, opened at ${open.now}`);
      let completed = open.earlier;
      this.trace?.mark('wait for register');
      if (completed === undefined) {
        if (open.items !== undefined) {
          for (const key of open.items.duplicateOrders()) this.s.putSqlOrder.run(key);
          this.s.touchSqlOrders.run();
          // the orders without a row get one after their completion is read (ownCompletions)
        } else if (open.now === undefined) this.s.newOrders.run(now);
        // (an orders landing's touched orders all have their row: put batch by batch)
        this.trace?.mark('tail: newOrders');
        completed = await this.answerOverlapped(staged, now, answered);
      }
      this.db.exec('COMMIT');
      this.trace?.mark('tail: commit');
      this.trace?.write(staged.fileKey);
      this.trace = undefined;
      this.open = null;
      return completed;
    } catch (error) {
      this.abandonLanding();
      throw error;
    }
  }

  /** forgets the landing opened: its transaction, if open, rolls back; its TEMP rows go */
  abandonLanding(): void {
    this.open = null;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.rows.open();
  }

  private sourceId(fileKey: string, stagedKey: string): number {
    const found = this.s.source.get(stagedKey, fileKey);
    if (found !== undefined) return found.source;
    return Number(this.s.putSource.run(fileKey, stagedKey).lastInsertRowid);
  }

  /** the answer of the landing's first registration, when it was registered before */
  private earlier(stagedKey: string): CompletionColumns | undefined {
    const { s } = this;
    const earlier = s.landing.get(stagedKey);
    return earlier === undefined
      ? undefined
      : storedCompletions(earlier.completions, () => s.landingParts.iterate(stagedKey));
  }

  private registerNow(landing: LandingKeys, now: number): CompletionColumns {
    const earlier = this.earlier(landing.stagedKey);
    if (earlier !== undefined) return earlier;
    this.rows.open();
    this.rows.add(landing);
    // every key is in the TEMP tables now: a big landing's columns (3M items: ~350 MB of
    // strings) need not live through the completion query and the answer's columns (a product
    // file's are read in the transaction, so they are released after it)
    if (landing.dataset !== 'products') landing.release?.();
    const completed = this.registerStaged(landing, now);
    if (landing.dataset === 'products') landing.release?.();
    return completed;
  }

  /** the staged rows into the index tables, their touched orders into t_touched */
  private applyRows(staged: Staged, source: number, now: number): void {
    const { s } = this;
    if (staged.dataset !== 'products') s.clearFileOrders.run(staged.fileKey);
    switch (staged.dataset) {
      case 'orders':
        s.putOrders.run(now, source);
        s.touchOrders.run();
        s.putFileOrders.run(source);
        break;
      case 'order_items':
        s.touchItemOrders.run();
        s.putFileOrders.run(source);
        s.touchOldOrders.run();
        s.newOrders.run(now);
        s.putItems.run(source);
        break;
      case 'products':
        for (const keys of this.rows.products) {
          const hashAt = hashTextOf(keys);
          keys.productIds.forEach((id, i) => {
            const key = idKey(id ?? '');
            s.putProduct.run(key, hashAt(i), source);
            s.stageProduct.run(key);
          });
        }
        this.rows.products = [];
        s.touchWaiting.run();
        break;
    }
  }

  // inside the IMMEDIATE transaction, the landing's rows staged (LandingRows)
  private registerStaged(staged: Staged, now: number): CompletionColumns {
    const earlier = this.earlier(staged.stagedKey);
    if (earlier !== undefined) return earlier;
    const source = this.sourceId(staged.fileKey, staged.stagedKey);
    this.applyRows(staged, source, now);
    return this.answer(staged);
  }

  // the rest of the transaction: the landing's rows are in the index tables, its touched
  // orders in t_touched
  private answer(staged: Staged): CompletionColumns {
    const { completed, changes } = this.completions(staged);
    this.recordStates(completed, changes);
    this.putRecord(staged.stagedKey, completionsRecordParts(completed));
    return completed;
  }

  /**
   * answer, told to `answered` once computed (the landing goes on meanwhile), the stored record
   * compressed on the thread pool while this thread writes the orders' states (the worker's
   * register: its tail is what the landing waits for)
   */
  private async answerOverlapped(
    staged: Staged,
    now: number,
    answered: (completed: CompletionColumns) => void,
  ): Promise<CompletionColumns> {
    const { completed, changes } = this.openCompletions(staged, now);
    // The record's compression streams are made before the answer is told, not after: told the
    // answer, the main thread may stop this worker (close() during a landing), and a worker
    // terminated while Node constructs a brotli stream (handle made, init not yet run) aborts
    // the whole process in its cleanup ("close before init", node_zlib.cc). Once made, a stream
    // is safe to stop at any point. Costs the segments' building (~0.1 s at 1M) before the answer.
    const parts = completionsRecordPartsAsync(completed);
    answered(completed);
    this.trace?.mark('tail: answered');
    try {
      this.recordStates(completed, changes);
    } catch (error) {
      await parts.catch(() => undefined);
      throw error;
    }
    const record = await parts;
    this.trace?.mark('tail: wait for the record');
    this.putRecord(staged.stagedKey, record);
    return completed;
  }

  /**
   * completions of the landing opened, from its own rows where it kept them, which are then
   * let go: not held by the async tail (the orders' states, the record) that follows
   */
  private openCompletions(staged: Staged, now: number): ReturnType<typeof this.completions> {
    const { open } = this;
    const items = open?.items;
    if (open === null || items === undefined) return this.completions(staged);
    open.items = undefined;
    try {
      return this.completions(staged, { items, source: open.source, now });
    } finally {
      items.release();
    }
  }

  /**
   * the completion query's answer, and the other touched orders whose completeness changed.
   * `own`: the landing's rows (an order_items landing opened by openLanding), of which the
   * touched orders outside t_sql have all their items: those are completed from them, the
   * query reads t_sql's alone.
   */
  private completions(
    staged: Staged,
    own?: { items: LandingItems; source: number; now: number },
  ): {
    completed: CompletionColumns;
    changes: CompletenessChanges;
  } {
    const { s } = this;
    s.putFile.run(staged.fileKey, staged.dataset);
    const into = new CompletionColumnsBuilder();
    // read in this transaction, after the landing's items: the query sees the same ri_items
    const integerItems = s.itemIdText.get() === undefined;
    let changes: CompletenessChanges;
    if (own === undefined) {
      const query = integerItems ? s.completionsIntegerItems : s.completions;
      changes = addChangedCompletions(query.iterate(), completionSources(s, into), into);
    } else changes = this.ownCompletions(own, integerItems, into);
    const completed = into.build();
    this.trace?.mark('tail: completion query and columns');
    return { completed, changes };
  }

  /**
   * Every touched order in the query's order: one in t_sql by the completion query over t_sql
   * (its rows are a subsequence of t_touched's, in the same order: an order of t_sql the query
   * leaves out has nothing to answer), any other from the landing's rows, which are all its
   * items (it had none before, and none of its item ids is named twice).
   */
  private ownCompletions(
    { items, source: itemSource, now }: { items: LandingItems; source: number; now: number },
    integerItems: boolean,
    into: CompletionColumnsBuilder,
  ): CompletenessChanges {
    const { s } = this;
    const rows = s.anySql.get() === undefined ? s.orderRowsAlone : s.orderRows;
    let rowless = false;
    const adder = new CompletionAdder(completionSources(s, into), into);
    const sql = (integerItems ? s.sqlCompletionsIntegerItems : s.sqlCompletions).iterate();
    let next = sql.next();
    const gathered = new OwnItems();
    for (const row of rows.iterate()) {
      const orderId = row[0];
      if (row[6] === null) rowless = true;
      if (row[8] === 1) {
        if (next.done !== true && next.value[0] === orderId) {
          adder.row(next.value);
          next = sql.next();
        }
        continue;
      }
      if (!items.gather(row[1], gathered))
        throw new Error(
          `order ${orderId} was touched, but neither named by the landing nor in t_sql`,
        );
      adder.own(row, gathered, itemSource);
    }
    if (next.done !== true) {
      sql.return?.();
      throw new Error(`the completion query's order ${next.value[0]} is not a touched order`);
    }
    if (rowless) s.newOrders.run(now);
    return adder.changes;
  }

  private recordStates(completed: CompletionColumns, changes: CompletenessChanges): void {
    const { s } = this;
    // Recorded as reported, with the touched orders' completeness (each row written once). The
    // fingerprints replaced were read in this IMMEDIATE transaction, so no other landing can
    // have reported these orders since: setting them is the compare-and-set, and each change
    // is returned by this landing alone.
    const { orderIds, fingerprints } = completed;
    const chunk = new Array<string | number>(2 * COMPLETED_CHUNK);
    let i = 0;
    for (; i + COMPLETED_CHUNK <= orderIds.length; i += COMPLETED_CHUNK) {
      for (let j = 0; j < COMPLETED_CHUNK; j++) {
        chunk[2 * j] = idKey(orderIds[i + j] as string);
        chunk[2 * j + 1] = fingerprints[i + j] as string;
      }
      s.setCompletedChunk.run(chunk);
    }
    for (; i < orderIds.length; i++)
      s.setCompleted.run(fingerprints[i] as string, idKey(orderIds[i] as string));
    for (const id of changes.complete) s.setComplete.run(1, id);
    for (const id of changes.incomplete) s.setComplete.run(0, id);
    this.trace?.mark('tail: orders updated');
  }

  private putRecord(stagedKey: string, parts: Iterable<Buffer>): void {
    this.s.putLanding.run(stagedKey, COLUMNS);
    let part = 0;
    for (const bytes of parts) this.s.putLandingPart.run(stagedKey, part++, bytes);
    this.trace?.mark('tail: record');
  }

  async pending(): Promise<PendingOrder[]> {
    // sorted here, as JS sorts the id strings: SQLite orders integer keys by value (idKey)
    const missing = new Map<string, string[]>();
    for (const r of this.s.missingProducts.all()) {
      const id = idText(r.order_id);
      missing.set(id, [...(missing.get(id) ?? []), idText(r.product_id)]);
    }
    for (const products of missing.values()) products.sort();
    const orders = this.s.pending.all().map((r) => ({ ...r, order_id: idText(r.order_id) }));
    orders.sort((a, b) => (a.order_id < b.order_id ? -1 : a.order_id > b.order_id ? 1 : 0));
    return orders.map((r) => ({
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
