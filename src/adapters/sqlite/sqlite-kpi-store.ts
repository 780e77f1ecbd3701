// KPI tables in SQLite: a date's rows are replaced in one transaction, so a reader sees the old
// set or the new one, never a mix.
import type { CategoryKpi, KpiSet, OrderKpi } from '../../domain/kpi/kpi.types.js';
import type { KpiFilter, KpiStore } from '../../ports/kpi-store.port.js';
import { assertRowsWithinDates } from '../in-memory/kpi-rows.js';
import type { SqliteDb } from './sqlite-database.js';
import { clearTables } from './sqlite-clear.js';

export class SqliteKpiStore implements KpiStore {
  private readonly replaceTx;
  private readonly orderRows;
  private readonly categoryRows;

  constructor(private readonly db: SqliteDb) {
    const delOrder = db.prepare<[string]>('DELETE FROM order_kpis WHERE order_date = ?');
    const delCategory = db.prepare<[string]>('DELETE FROM category_kpis WHERE order_date = ?');
    const putOrder = db.prepare<OrderKpi>(
      `INSERT INTO order_kpis VALUES (@order_date, @total_orders, @total_revenue,
         @total_items_sold, @return_rate, @unique_customers)`,
    );
    const putCategory = db.prepare<CategoryKpi>(
      `INSERT INTO category_kpis VALUES (@category, @order_date, @daily_revenue,
         @avg_order_value, @avg_return_rate)`,
    );
    this.replaceTx = db.transaction((dates: readonly string[], kpis: KpiSet) => {
      for (const d of dates) {
        delOrder.run(d);
        delCategory.run(d);
      }
      kpis.order.forEach((r) => putOrder.run(r));
      kpis.category.forEach((r) => putCategory.run(r));
    });
    // NULL parameters mean "no filter"
    this.orderRows = db.prepare<{ date: string | null }, OrderKpi>(
      'SELECT * FROM order_kpis WHERE @date IS NULL OR order_date = @date ORDER BY order_date',
    );
    this.categoryRows = db.prepare<{ date: string | null; category: string | null }, CategoryKpi>(
      `SELECT * FROM category_kpis WHERE (@date IS NULL OR order_date = @date)
         AND (@category IS NULL OR category = @category) ORDER BY order_date, category`,
    );
  }

  async replaceDates(dates: readonly string[], kpis: KpiSet): Promise<void> {
    assertRowsWithinDates(dates, kpis);
    this.replaceTx.immediate([...new Set(dates)], kpis);
  }

  async query(filter: KpiFilter = {}): Promise<KpiSet> {
    const date = filter.date ?? null;
    return {
      order: this.orderRows.all({ date }),
      category: this.categoryRows.all({ date, category: filter.category ?? null }),
    };
  }

  async reset(): Promise<void> {
    clearTables(this.db, { names: ['order_kpis', 'category_kpis'] });
  }
}
