// KPI totals in memory, keyed like the DynamoDB tables (order: date; category: category + date).
import {
  kpisFromTotals,
  sortTotals,
  assertTotalsWithinDates,
} from '../../domain/kpi/kpi-totals.js';
import type { CategoryTotals, DayTotals, KpiSet, KpiTotals } from '../../domain/kpi/kpi.types.js';
import type { KpiFilter, KpiStore } from '../../ports/kpi-store.port.js';

export class InMemoryKpiStore implements KpiStore {
  private readonly days = new Map<string, DayTotals>();
  private readonly categories = new Map<string, CategoryTotals>();

  async replaceDates(dates: readonly string[], totals: KpiTotals): Promise<void> {
    assertTotalsWithinDates(dates, totals);
    const listed = new Set(dates);
    for (const [k, row] of this.days) if (listed.has(row.date)) this.days.delete(k);
    for (const [k, row] of this.categories) if (listed.has(row.date)) this.categories.delete(k);
    for (const row of totals.days) this.days.set(row.date, row);
    for (const row of totals.categories)
      this.categories.set(`${row.category}\u0000${row.date}`, row);
  }

  async queryTotals(filter: KpiFilter = {}): Promise<KpiTotals> {
    const dateOk = (d: string) => filter.date === undefined || d === filter.date;
    return sortTotals({
      days: [...this.days.values()].filter((r) => dateOk(r.date)),
      categories: [...this.categories.values()].filter(
        (r) => dateOk(r.date) && (filter.category === undefined || r.category === filter.category),
      ),
    });
  }

  async query(filter: KpiFilter = {}): Promise<KpiSet> {
    return kpisFromTotals(await this.queryTotals(filter));
  }
}
