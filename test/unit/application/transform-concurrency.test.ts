// Two groups transformed at once may touch the same date (concurrent executions in AWS). A
// transform that read the date's facts before the other one wrote its own must not leave its
// stale KPIs as the last word.
import { describe, expect, it } from 'vitest';
import { InMemoryFactStore } from '../../../src/adapters/in-memory/in-memory-fact-store.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import type { RollUp } from '../../../src/domain/kpi/kpi-periods.js';
import { factColumnsOf, type FactColumns } from '../../../src/domain/kpi/fact-columns.js';
import type { Fact, KpiTotals } from '../../../src/domain/kpi/kpi.types.js';
import { FACT_STORE, type FactStore } from '../../../src/ports/fact-store.port.js';
import { KPI_STORE, type KpiStore } from '../../../src/ports/kpi-store.port.js';
import { ingestOneOrderShop, otherOrderFact } from './one-order-shop.js';

/** After the transform's first read of a date, another transform lands a fact of that date
 *  and writes the KPIs it saw (which already include ours). */
class RacingFactStore implements FactStore {
  private raced = false;
  constructor(
    private readonly inner: InMemoryFactStore,
    private readonly kpis: KpiStore,
  ) {}
  replaceOrders(orderIds: readonly string[], facts: FactColumns): Promise<string[]> {
    return this.inner.replaceOrders(orderIds, facts);
  }
  async kpiTotals(dates: readonly string[]): Promise<KpiTotals> {
    const seen = await this.inner.kpiTotals(dates);
    if (!this.raced && dates.includes('2025-03-01')) {
      this.raced = true;
      await this.inner.replaceOrders(['other'], factColumnsOf([otherOrderFact]));
      const theirs = await this.inner.kpiTotals(['2025-03-01']);
      await this.kpis.replaceDates(['2025-03-01'], theirs);
    }
    return seen;
  }
  forDates(dates: readonly string[]): Promise<Fact[]> {
    return this.inner.forDates(dates);
  }
  periodTotals(dates: readonly string[], by: RollUp): Promise<KpiTotals> {
    return this.inner.periodTotals(dates, by);
  }
  count(): Promise<number> {
    return this.inner.count();
  }
  reset(): Promise<void> {
    return this.inner.reset();
  }
  touchedBy(orderIds: readonly string[], facts: FactColumns): Promise<string[]> {
    return this.inner.touchedBy(orderIds, facts);
  }
  version(): Promise<string | null> {
    return this.inner.version();
  }
}

describe('TransformGroup under a concurrent transform of the same date', () => {
  it('ends with KPIs over every fact of the date, not the ones it read first', async () => {
    const container = buildInMemoryContainer();
    const kpis = container.get<KpiStore>(KPI_STORE);
    container
      .rebind(FACT_STORE)
      .toConstantValue(new RacingFactStore(new InMemoryFactStore(), kpis));
    await ingestOneOrderShop(container);

    const stored = await kpis.query({ date: '2025-03-01' });
    expect(stored.order).toEqual([
      {
        order_date: '2025-03-01',
        total_orders: 2,
        total_revenue: 13.5,
        total_items_sold: 2,
        return_rate: 0.5,
        unique_customers: 2,
      },
    ]);
    expect(stored.category).toEqual([
      {
        category: 'Toys',
        order_date: '2025-03-01',
        daily_revenue: 13.5,
        avg_order_value: 6.75,
        avg_return_rate: 0.5,
      },
    ]);
  });
});
