// Facts in memory, grouped by order so an order's items are replaced as a whole.
import { utcDate } from '../../domain/dates.js';
import type { Fact } from '../../domain/kpi/kpi.types.js';
import type { FactStore } from '../../ports/fact-store.port.js';

const byOrderThenItem = (a: Fact, b: Fact): number =>
  a.orderId < b.orderId
    ? -1
    : a.orderId > b.orderId
      ? 1
      : a.itemId < b.itemId
        ? -1
        : a.itemId > b.itemId
          ? 1
          : 0;

export class InMemoryFactStore implements FactStore {
  private readonly byOrder = new Map<string, Fact[]>();

  async replaceOrders(orderIds: readonly string[], facts: readonly Fact[]): Promise<string[]> {
    const replaced = new Set([...orderIds, ...facts.map((f) => f.orderId)]);
    const dates = new Set<string>();
    for (const id of replaced) {
      for (const f of this.byOrder.get(id) ?? []) dates.add(utcDate(f.orderCreatedAt));
      this.byOrder.delete(id);
    }
    for (const f of facts) {
      dates.add(utcDate(f.orderCreatedAt));
      const list = this.byOrder.get(f.orderId) ?? [];
      // the item id is the fact's key: a repeated item replaces the earlier one
      this.byOrder.set(f.orderId, [...list.filter((x) => x.itemId !== f.itemId), f]);
    }
    return [...dates].sort();
  }

  async forDates(dates: readonly string[]): Promise<Fact[]> {
    const wanted = new Set(dates);
    const out: Fact[] = [];
    for (const list of this.byOrder.values()) {
      for (const f of list) if (wanted.has(utcDate(f.orderCreatedAt))) out.push(f);
    }
    return out.sort(byOrderThenItem);
  }

  async count(): Promise<number> {
    let n = 0;
    for (const list of this.byOrder.values()) n += list.length;
    return n;
  }
}
