// The grouping index in memory. Each register runs synchronously between awaits, so two
// racing calls cannot interleave and each change of an order's content is returned once.
import {
  type CompletionLookup,
  type ItemRow,
  type OrderState,
  type RowLocation,
  decide,
  evolveAll,
  isComplete,
  lacksOf,
  sliceFor,
} from '../../domain/order-completion.decider.js';
import { completionColumnsOf } from '../../domain/completion-columns.js';
import type {
  CompletionColumns,
  LandingKeys,
  PendingOrder,
  ReferenceIndex,
} from '../../ports/reference-index.port.js';

export class InMemoryReferenceIndex implements ReferenceIndex {
  private readonly orders = new Map<string, OrderState>();
  private readonly items = new Map<string, ItemRow>();
  private readonly products = new Map<string, RowLocation>();
  /** orders complete with their current rows */
  private readonly complete = new Set<string>();
  /** product id -> orders whose items referenced it (may be stale; only narrows the search) */
  private readonly productOrders = new Map<string, Set<string>>();
  /** file key -> dataset and the orders its rows belong to */
  private readonly landings = new Map<string, CompletionColumns>();
  private readonly files = new Map<string, { dataset: string; orders: Set<string> }>();

  private readonly lookup: CompletionLookup = {
    order: (id) => this.orders.get(id),
    item: (id) => this.items.get(id),
    product: (id) => this.products.get(id),
    ordersWaitingFor: (productIds) => {
      const out = new Set<string>();
      for (const p of productIds) {
        for (const o of this.productOrders.get(p) ?? []) if (!this.complete.has(o)) out.add(o);
      }
      return out;
    },
  };

  async register(landing: LandingKeys, now: number): Promise<CompletionColumns> {
    // a landing registered again (same content-addressed stagedKey) gets its first answer
    const earlier = this.landings.get(landing.stagedKey);
    if (earlier !== undefined) return structuredClone(earlier);
    const slice = sliceFor(landing, this.lookup);
    const events = decide({ type: 'LandRows', rows: landing, now }, slice);
    const next = evolveAll(slice, events);
    for (const [id, order] of next.orders) this.orders.set(id, order);
    for (const [id, item] of next.items) this.items.set(id, item);
    for (const [id, product] of next.products) this.products.set(id, product);
    for (const id of next.orders.keys()) {
      if (isComplete(next, id)) this.complete.add(id);
      else this.complete.delete(id);
    }
    this.recordFile(landing);
    const completed = completionColumnsOf(
      events.flatMap((e) => (e.type === 'OrderCompleted' ? [e.completion] : [])),
    );
    // kept as a copy, as the other indexes keep their record apart from the answer: the caller
    // hands the answer on (to the group's Validate), and its memory must go when they are done
    this.landings.set(landing.stagedKey, structuredClone(completed));
    return completed;
  }

  async pending(): Promise<PendingOrder[]> {
    const state = { orders: this.orders, items: this.items, products: this.products };
    return [...this.orders.keys()]
      .filter((id) => !this.complete.has(id))
      .sort()
      .flatMap((id) => lacksOf(state, id) ?? []);
  }

  async completedCount(): Promise<number> {
    let n = 0;
    for (const order of this.orders.values()) if (order.lastCompleted !== null) n++;
    return n;
  }

  async filesWhollyCompleted(fileKeys: readonly string[]): Promise<string[]> {
    return fileKeys.filter((key) => {
      const file = this.files.get(key);
      if (file === undefined) return false;
      return [...file.orders].every((o) => this.complete.has(o));
    });
  }

  private recordFile(landing: LandingKeys): void {
    const orders = new Set(landing.dataset === 'products' ? [] : landing.orderIds);
    this.files.set(landing.fileKey, { dataset: landing.dataset, orders });
    if (landing.dataset === 'order_items') {
      landing.productIds.forEach((p, i) => {
        const set = this.productOrders.get(p) ?? new Set<string>();
        set.add(landing.orderIds[i] ?? '');
        this.productOrders.set(p, set);
      });
    }
  }

  async reset(): Promise<void> {
    for (const m of [this.orders, this.items, this.products, this.productOrders, this.landings])
      m.clear();
    this.complete.clear();
    this.files.clear();
  }
}
