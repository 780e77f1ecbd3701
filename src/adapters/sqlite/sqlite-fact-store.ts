// Facts in SQLite keyed by item id, replaced order by order in one transaction (old and new
// dates returned).
import { utcDate } from '../../domain/dates.js';
import type { Fact, KpiTotals } from '../../domain/kpi/kpi.types.js';
import type { FactStore } from '../../ports/fact-store.port.js';
import type { SqliteDb } from './sqlite-database.js';
import { kpiTotalsQuery } from './sqlite-kpi-totals.js';
import { sqlitePeriodTotals } from './sqlite-period-totals.js';
import type { RollUp } from '../../domain/kpi/kpi-periods.js';
import { byOrderThenItem, replacedOrders, touchedDates } from '../shared/fact-rows.js';
import { clearTables } from './sqlite-clear.js';

interface FactRow {
  order_id: string;
  item_id: string;
  user_id: string;
  order_status: string;
  order_created_at: number;
  product_id: string;
  category: string | null;
  sale_price_cents: number;
}

const toFact = (r: FactRow): Fact => ({
  itemId: r.item_id,
  orderId: r.order_id,
  userId: r.user_id,
  orderStatus: r.order_status,
  orderCreatedAt: r.order_created_at,
  productId: r.product_id,
  category: r.category,
  salePriceCents: r.sale_price_cents,
});

export class SqliteFactStore implements FactStore {
  private readonly replaceTx;
  private readonly byDate;
  private readonly counter;
  private readonly datesOfOrder;
  private readonly dateOfItem;
  private readonly totals;

  constructor(private readonly db: SqliteDb) {
    const datesOf = db.prepare<[string], { d: string }>(
      'SELECT DISTINCT order_date AS d FROM facts WHERE order_id = ?',
    );
    const itemDate = db.prepare<[string], { d: string }>(
      'SELECT order_date AS d FROM facts WHERE item_id = ?',
    );
    const remove = db.prepare<[string]>('DELETE FROM facts WHERE order_id = ?');
    const insert = db.prepare<
      [string, string, string, string, number, string, string, string | null, number]
    >(
      `INSERT OR REPLACE INTO facts (order_id, item_id, user_id, order_status, order_created_at,
         order_date, product_id, category, sale_price_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.datesOfOrder = datesOf;
    this.dateOfItem = itemDate;
    this.byDate = db.prepare<[string], FactRow>('SELECT * FROM facts WHERE order_date = ?');
    this.totals = kpiTotalsQuery(db);
    this.counter = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM facts');
    this.replaceTx = db.transaction((orderIds: readonly string[], facts: readonly Fact[]) => {
      const removed: string[] = [];
      for (const id of replacedOrders(orderIds, facts)) {
        for (const { d } of datesOf.all(id)) removed.push(d);
        remove.run(id);
      }
      for (const f of facts) {
        // an item moved from another order: its old date changes too
        const moved = itemDate.get(f.itemId);
        if (moved !== undefined) removed.push(moved.d);
        const date = utcDate(f.orderCreatedAt);
        insert.run(
          f.orderId,
          f.itemId,
          f.userId,
          f.orderStatus,
          f.orderCreatedAt,
          date,
          f.productId,
          f.category,
          f.salePriceCents,
        );
      }
      return touchedDates(removed, facts);
    });
  }

  async replaceOrders(orderIds: readonly string[], facts: readonly Fact[]): Promise<string[]> {
    return this.replaceTx.immediate(orderIds, facts);
  }

  async touchedBy(orderIds: readonly string[], facts: readonly Fact[]): Promise<string[]> {
    const before: string[] = [];
    for (const id of replacedOrders(orderIds, facts))
      for (const { d } of this.datesOfOrder.all(id)) before.push(d);
    for (const f of facts) {
      const moved = this.dateOfItem.get(f.itemId);
      if (moved !== undefined) before.push(moved.d);
    }
    return touchedDates(before, facts);
  }

  async forDates(dates: readonly string[]): Promise<Fact[]> {
    const rows = [...new Set(dates)].flatMap((d) => this.byDate.all(d));
    return rows.map(toFact).sort(byOrderThenItem);
  }

  async kpiTotals(dates: readonly string[]): Promise<KpiTotals> {
    return this.totals(dates);
  }

  async periodTotals(dates: readonly string[], by: RollUp): Promise<KpiTotals> {
    return sqlitePeriodTotals(this.db, dates, by);
  }

  async count(): Promise<number> {
    return this.counter.get()?.n ?? 0;
  }

  async reset(): Promise<void> {
    clearTables(this.db, { names: ['facts'] });
  }
}
