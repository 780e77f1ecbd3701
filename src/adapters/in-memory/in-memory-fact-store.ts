// Facts in memory. The item id is a fact's key (as in the Delta table's merge): an order's items
// are replaced as a whole, and an item re-delivered under another order leaves the old one.
import { utcDate } from '../../domain/dates.js';
import { totalKpis } from '../../domain/kpi/compute-kpis.js';
import { rollUpTotals, type RollUp } from '../../domain/kpi/kpi-periods.js';
import { factsOf, type FactColumns } from '../../domain/kpi/fact-columns.js';
import type { Fact, KpiTotals } from '../../domain/kpi/kpi.types.js';
import type { FactStore } from '../../ports/fact-store.port.js';
import { byOrderThenItem, replacedOrders, touchedDates } from '../shared/fact-rows.js';

export class InMemoryFactStore implements FactStore {
  private readonly byItem = new Map<string, Fact>();
  private readonly itemsOf = new Map<string, Set<string>>();
  /** bumped by every write: this store lives in one process, so it sees every change */
  private writes = 0;

  async replaceOrders(orderIds: readonly string[], facts: FactColumns): Promise<string[]> {
    this.writes += 1;
    const removed: string[] = [];
    const remove = (itemId: string) => {
      const old = this.byItem.get(itemId);
      if (old === undefined) return;
      removed.push(utcDate(old.orderCreatedAt));
      this.byItem.delete(itemId);
      this.itemsOf.get(old.orderId)?.delete(itemId);
    };
    for (const id of replacedOrders(orderIds, facts)) {
      for (const itemId of [...(this.itemsOf.get(id) ?? [])]) remove(itemId);
    }
    // the fake keeps a Fact per item: it is the readable specification, not the hot path
    for (const f of factsOf(facts)) {
      remove(f.itemId);
      this.byItem.set(f.itemId, f);
      this.itemsOf.set(f.orderId, (this.itemsOf.get(f.orderId) ?? new Set()).add(f.itemId));
    }
    return touchedDates(removed, facts);
  }

  async touchedBy(orderIds: readonly string[], facts: FactColumns): Promise<string[]> {
    const items = new Set(facts.itemId);
    for (const id of replacedOrders(orderIds, facts))
      for (const itemId of this.itemsOf.get(id) ?? []) items.add(itemId);
    const before = [...items].flatMap((i) => {
      const old = this.byItem.get(i);
      return old === undefined ? [] : [utcDate(old.orderCreatedAt)];
    });
    return touchedDates(before, facts);
  }

  async forDates(dates: readonly string[]): Promise<Fact[]> {
    const wanted = new Set(dates);
    const out: Fact[] = [];
    for (const f of this.byItem.values()) if (wanted.has(utcDate(f.orderCreatedAt))) out.push(f);
    return out.sort(byOrderThenItem);
  }

  /** the specification itself: there is no store to aggregate in */
  async kpiTotals(dates: readonly string[]): Promise<KpiTotals> {
    return totalKpis(await this.forDates(dates));
  }

  async periodTotals(dates: readonly string[], by: RollUp): Promise<KpiTotals> {
    return rollUpTotals(await this.forDates(dates), dates, by);
  }

  async version(): Promise<string | null> {
    return String(this.writes);
  }

  async count(): Promise<number> {
    return this.byItem.size;
  }

  async reset(): Promise<void> {
    this.writes += 1;
    this.byItem.clear();
    this.itemsOf.clear();
  }
}
