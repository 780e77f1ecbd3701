// What every KpiStore adapter must do (in-memory, SQLite, DynamoDB).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CategoryKpi, KpiSet, OrderKpi } from '../../src/domain/kpi/kpi.types.js';
import type { KpiStore } from '../../src/ports/kpi-store.port.js';

export type KpiStoreFactory = () => Promise<{ port: KpiStore; cleanup: () => Promise<void> }>;

const order = (d: string, n = 1): OrderKpi => ({
  order_date: d,
  total_orders: n,
  total_revenue: 1234.56 * n,
  total_items_sold: 3 * n,
  return_rate: 1 / 3,
  unique_customers: n,
});
const cat = (c: string, d: string, rev = 10.5): CategoryKpi => ({
  category: c,
  order_date: d,
  daily_revenue: rev,
  avg_order_value: 5.25,
  avg_return_rate: 0.5,
});
const set = (o: OrderKpi[], c: CategoryKpi[]): KpiSet => ({ order: o, category: c });

export function describeKpiStoreContract(adapterName: string, factory: KpiStoreFactory) {
  describe(`KpiStore contract: ${adapterName}`, () => {
    let store: KpiStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ port: store, cleanup } = await factory());
    });
    afterEach(async () => cleanup());

    it('is empty at first', async () => {
      expect(await store.query()).toEqual({ order: [], category: [] });
    });

    it('returns rows sorted by date, then category, with numbers exactly as given', async () => {
      await store.replaceDates(
        ['2024-01-02', '2024-01-01'],
        set(
          [order('2024-01-02'), order('2024-01-01', 2)],
          [
            cat('Jeans', '2024-01-02'),
            cat('Accessories', '2024-01-02'),
            cat('Tops', '2024-01-01', 0.1 + 0.2),
          ],
        ),
      );
      expect(await store.query()).toEqual(
        set(
          [order('2024-01-01', 2), order('2024-01-02')],
          [
            cat('Tops', '2024-01-01', 0.1 + 0.2),
            cat('Accessories', '2024-01-02'),
            cat('Jeans', '2024-01-02'),
          ],
        ),
      );
    });

    it('replacing dates removes their absent rows, upserts the others, and leaves other dates alone', async () => {
      await store.replaceDates(
        ['2024-01-01', '2024-01-02'],
        set(
          [order('2024-01-01'), order('2024-01-02')],
          [cat('A', '2024-01-01'), cat('B', '2024-01-01'), cat('A', '2024-01-02')],
        ),
      );
      await store.replaceDates(
        ['2024-01-01'],
        set([order('2024-01-01', 5)], [cat('B', '2024-01-01', 99)]),
      );
      expect(await store.query()).toEqual(
        set(
          [order('2024-01-01', 5), order('2024-01-02')],
          [cat('B', '2024-01-01', 99), cat('A', '2024-01-02')],
        ),
      );
      // a date whose orders all went away loses every row
      await store.replaceDates(['2024-01-02'], set([], []));
      expect(await store.query()).toEqual(
        set([order('2024-01-01', 5)], [cat('B', '2024-01-01', 99)]),
      );
    });

    it('filters by date (both tables) and by category (category rows only)', async () => {
      await store.replaceDates(
        ['2024-01-01', '2024-01-02'],
        set(
          [order('2024-01-01'), order('2024-01-02')],
          [cat('A', '2024-01-01'), cat('B', '2024-01-01'), cat('A', '2024-01-02')],
        ),
      );
      expect(await store.query({ date: '2024-01-02' })).toEqual(
        set([order('2024-01-02')], [cat('A', '2024-01-02')]),
      );
      expect(await store.query({ category: 'A' })).toEqual(
        set(
          [order('2024-01-01'), order('2024-01-02')],
          [cat('A', '2024-01-01'), cat('A', '2024-01-02')],
        ),
      );
      expect(await store.query({ date: '2024-01-01', category: 'B' })).toEqual(
        set([order('2024-01-01')], [cat('B', '2024-01-01')]),
      );
      expect(await store.query({ date: '2030-01-01' })).toEqual(set([], []));
    });

    it('refuses a row whose date is not among the replaced dates, changing nothing', async () => {
      await store.replaceDates(['2024-01-01'], set([order('2024-01-01')], []));
      await expect(
        store.replaceDates(['2024-01-01'], set([order('2024-01-05')], [])),
      ).rejects.toThrow(RangeError);
      expect(await store.query()).toEqual(set([order('2024-01-01')], []));
    });

    it('reset removes every row', async () => {
      await store.replaceDates(
        ['2024-01-01'],
        set([order('2024-01-01')], [cat('A', '2024-01-01')]),
      );
      await store.reset();
      expect(await store.query()).toEqual(set([], []));
    });
  });
}
