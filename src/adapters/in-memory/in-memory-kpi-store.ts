// KPI rows in memory, keyed like the DynamoDB tables (order: date; category: category + date).
import type { CategoryKpi, KpiSet, OrderKpi } from '../../domain/kpi/kpi.types.js';
import type { KpiFilter, KpiStore } from '../../ports/kpi-store.port.js';
import { assertRowsWithinDates, sortKpis } from './kpi-rows.js';

export class InMemoryKpiStore implements KpiStore {
  private readonly order = new Map<string, OrderKpi>();
  private readonly category = new Map<string, CategoryKpi>();

  async replaceDates(dates: readonly string[], kpis: KpiSet): Promise<void> {
    assertRowsWithinDates(dates, kpis);
    const listed = new Set(dates);
    for (const [k, row] of this.order) if (listed.has(row.order_date)) this.order.delete(k);
    for (const [k, row] of this.category) if (listed.has(row.order_date)) this.category.delete(k);
    for (const row of kpis.order) this.order.set(row.order_date, row);
    for (const row of kpis.category)
      this.category.set(`${row.category}\u0000${row.order_date}`, row);
  }

  async query(filter: KpiFilter = {}): Promise<KpiSet> {
    const dateOk = (d: string) => filter.date === undefined || d === filter.date;
    return sortKpis({
      order: [...this.order.values()].filter((r) => dateOk(r.order_date)),
      category: [...this.category.values()].filter(
        (r) =>
          dateOk(r.order_date) && (filter.category === undefined || r.category === filter.category),
      ),
    });
  }

  async reset(): Promise<void> {
    this.order.clear();
    this.category.clear();
  }
}
