// KPI totals in SQLite as integers (cents and counts): a date's rows are replaced in one
// transaction, so a reader sees the old set or the new one, never a mix.
import {
  assertTotalsWithinDates,
  kpisFromTotals,
  sortTotals,
} from '../../domain/kpi/kpi-totals.js';
import type { CategoryTotals, DayTotals, KpiSet, KpiTotals } from '../../domain/kpi/kpi.types.js';
import type { KpiFilter, KpiStore } from '../../ports/kpi-store.port.js';
import type { SqliteDb } from './sqlite-database.js';

interface DayRow {
  order_date: string;
  total_orders: bigint;
  total_revenue_cents: bigint;
  total_items_sold: bigint;
  returned_orders: bigint;
  unique_customers: bigint;
}
interface CategoryRow {
  category: string;
  order_date: string;
  daily_revenue_cents: bigint;
  orders: bigint;
  returned_orders: bigint;
}

const dayOf = (r: DayRow): DayTotals => ({
  date: r.order_date,
  orders: Number(r.total_orders),
  items: Number(r.total_items_sold),
  revenueCents: r.total_revenue_cents,
  returnedOrders: Number(r.returned_orders),
  customers: Number(r.unique_customers),
});
const categoryOf = (r: CategoryRow): CategoryTotals => ({
  category: r.category,
  date: r.order_date,
  revenueCents: r.daily_revenue_cents,
  orders: Number(r.orders),
  returnedOrders: Number(r.returned_orders),
});

export class SqliteKpiStore implements KpiStore {
  private readonly replaceTx;
  private readonly dayRows;
  private readonly categoryRows;

  constructor(db: SqliteDb) {
    const delOrder = db.prepare<[string]>('DELETE FROM order_kpis WHERE order_date = ?');
    const delCategory = db.prepare<[string]>('DELETE FROM category_kpis WHERE order_date = ?');
    const putDay = db.prepare<DayTotals>(
      `INSERT INTO order_kpis (order_date, total_orders, total_revenue_cents, total_items_sold,
         returned_orders, unique_customers)
       VALUES (@date, @orders, @revenueCents, @items, @returnedOrders, @customers)`,
    );
    const putCategory = db.prepare<CategoryTotals>(
      `INSERT INTO category_kpis (category, order_date, daily_revenue_cents, orders,
         returned_orders) VALUES (@category, @date, @revenueCents, @orders, @returnedOrders)`,
    );
    this.replaceTx = db.transaction((dates: readonly string[], totals: KpiTotals) => {
      for (const d of dates) {
        delOrder.run(d);
        delCategory.run(d);
      }
      totals.days.forEach((r) => putDay.run(r));
      totals.categories.forEach((r) => putCategory.run(r));
    });
    // NULL parameters mean "no filter"; safeIntegers: cents beyond 2^53 come back exact
    this.dayRows = db
      .prepare<{ date: string | null }, DayRow>(
        'SELECT * FROM order_kpis WHERE @date IS NULL OR order_date = @date',
      )
      .safeIntegers(true);
    this.categoryRows = db
      .prepare<{ date: string | null; category: string | null }, CategoryRow>(
        `SELECT * FROM category_kpis WHERE (@date IS NULL OR order_date = @date)
           AND (@category IS NULL OR category = @category)`,
      )
      .safeIntegers(true);
  }

  async replaceDates(dates: readonly string[], totals: KpiTotals): Promise<void> {
    assertTotalsWithinDates(dates, totals);
    this.replaceTx.immediate([...new Set(dates)], totals);
  }

  async queryTotals(filter: KpiFilter = {}): Promise<KpiTotals> {
    const date = filter.date ?? null;
    // sorted in JS: SQLite orders text by UTF-8 bytes, the domain by UTF-16 code units
    return sortTotals({
      days: this.dayRows.all({ date }).map(dayOf),
      categories: this.categoryRows
        .all({ date, category: filter.category ?? null })
        .map(categoryOf),
    });
  }

  async query(filter: KpiFilter = {}): Promise<KpiSet> {
    return kpisFromTotals(await this.queryTotals(filter));
  }
}
