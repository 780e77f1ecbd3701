// The grouping index in SQLite. Each register is one IMMEDIATE transaction: it takes the write
// lock before reading, loads the slice of rows the landing can affect, runs the completion
// decider, and stores the result, so two processes racing cannot both report one change of an
// order's content (each order keeps the fingerprint of its last reported completion).
// A landing (by stagedKey, which is content-addressed) registered again gets the answer of its
// first registration: a process killed after the commit but before it recorded the groups can
// run again and still learn what completed.
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  type CompletionLookup,
  type ItemRow,
  type OrderState,
  type RowLocation,
  decide,
  evolveAll,
  isComplete,
  sliceFor,
} from '../../domain/order-completion.decider.js';
import type {
  CompletedOrder,
  LandingKeys,
  PendingOrder,
  ReferenceIndex,
} from '../../ports/reference-index.port.js';
import {
  PackedCompletionsC,
  packCompletions,
  unpackCompletions,
} from '../../domain/packed-completions.codec.js';
import type { SqliteDb } from './sqlite-database.js';
import { referenceStatements, type Statements } from './sqlite-reference-statements.js';
import { clearTables } from './sqlite-clear.js';

/**
 * A landing's stored answer: packed (files listed once; a 1M-item landing spelled out was
 * 438 MB of JSON), or a plain array as stored before.
 */
const storedCompletions = (text: string): CompletedOrder[] => {
  const json: unknown = JSON.parse(text);
  if (Array.isArray(json)) return json as CompletedOrder[];
  const packed = PackedCompletionsC.decode(json);
  if (isLeft(packed)) throw new Error('ri_landings holds an unreadable completions record');
  return unpackCompletions(packed.right);
};

const num = (v: number | null): number => (v === null ? NaN : v);
// SQLite turns NaN into NULL anyway; say so explicitly
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export class SqliteReferenceIndex implements ReferenceIndex {
  private readonly s: Statements;
  private readonly registerTx;
  private readonly lookup: CompletionLookup;

  constructor(private readonly db: SqliteDb) {
    const s = referenceStatements(db);
    this.s = s;
    this.lookup = {
      order: (id): OrderState | undefined => {
        const r = s.order.get(id);
        if (r === undefined) return undefined;
        return {
          firstSeenAt: r.first_seen_at,
          row:
            r.hash === null
              ? null
              : {
                  key: r.file_key ?? '',
                  stagedKey: r.staged_key ?? '',
                  hash: r.hash,
                  numOfItems: num(r.num_of_items),
                  createdAt: num(r.created_at),
                },
          itemIds: new Set(s.itemIdsOf.all(id).map((x) => x.item_id)),
          lastCompleted: r.last_completed,
        };
      },
      item: (id): ItemRow | undefined => {
        const r = s.item.get(id);
        return (
          r && {
            key: r.file_key,
            stagedKey: r.staged_key,
            hash: r.hash,
            orderId: r.order_id,
            productId: r.product_id,
          }
        );
      },
      product: (id): RowLocation | undefined => {
        const r = s.product.get(id);
        return r && { key: r.file_key, stagedKey: r.staged_key, hash: r.hash };
      },
      ordersWaitingFor: (productIds) => {
        const out = new Set<string>();
        for (const p of new Set(productIds))
          for (const r of s.waitingFor.all(p)) out.add(r.order_id);
        return out;
      },
    };
    this.registerTx = db.transaction((landing: LandingKeys, now: number) =>
      this.registerNow(landing, now),
    );
  }

  async register(landing: LandingKeys, now: number): Promise<CompletedOrder[]> {
    return this.registerTx.immediate(landing, now);
  }

  private registerNow(landing: LandingKeys, now: number): CompletedOrder[] {
    const { s } = this;
    const earlier = s.landing.get(landing.stagedKey);
    if (earlier !== undefined) return storedCompletions(earlier.completions);
    const slice = sliceFor(landing, this.lookup);
    const events = decide({ type: 'LandRows', rows: landing, now }, slice);
    const next = evolveAll(slice, events);
    for (const [id, o] of next.orders) {
      const row = o.row;
      s.putOrder.run({
        order_id: id,
        first_seen_at: o.firstSeenAt,
        hash: row?.hash ?? null,
        num_of_items: row ? orNull(row.numOfItems) : null,
        created_at: row ? orNull(row.createdAt) : null,
        file_key: row?.key ?? null,
        staged_key: row?.stagedKey ?? null,
        is_complete: isComplete(next, id) ? 1 : 0,
      });
    }
    if (landing.dataset === 'order_items') {
      for (const itemId of landing.itemIds) {
        const i = next.items.get(itemId);
        if (i) s.putItem.run(itemId, i.orderId, i.productId, i.hash, i.key, i.stagedKey);
      }
    }
    if (landing.dataset === 'products') {
      landing.productIds.forEach((p, i) =>
        s.putProduct.run(p, landing.hashes[i] ?? '', landing.fileKey, landing.stagedKey),
      );
    }
    s.putFile.run(landing.fileKey, landing.dataset);
    s.clearFileOrders.run(landing.fileKey);
    if (landing.dataset !== 'products') {
      for (const o of new Set(landing.orderIds)) s.putFileOrder.run(landing.fileKey, o);
    }
    const completed: CompletedOrder[] = [];
    for (const e of events) {
      if (e.type !== 'OrderCompleted') continue;
      // the stored last completion decides too (compare-and-set on the one the slice read): a
      // change of content is never returned twice, even if the slice read were stale
      const { orderId, fingerprint } = e.completion;
      const previous = slice.orders.get(orderId)?.lastCompleted ?? null;
      const { changes } = s.completeIf.run({ order_id: orderId, fingerprint, previous });
      if (changes === 1) completed.push(e.completion);
    }
    s.putLanding.run(landing.stagedKey, JSON.stringify(packCompletions(completed)));
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
