// What every KpiStore adapter must do (in-memory, SQLite, DynamoDB): keep the totals exactly
// (cents beyond 2^53 included) and report the KPIs derived from them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kpisFromTotals } from '../../src/domain/kpi/kpi-totals.js';
import type { CategoryTotals, DayTotals, KpiTotals } from '../../src/domain/kpi/kpi.types.js';
import type { KpiStore } from '../../src/ports/kpi-store.port.js';

export type KpiStoreFactory = () => Promise<{ port: KpiStore; cleanup: () => Promise<void> }>;

const day = (date: string, n = 1, revenueCents = 123456n * BigInt(n)): DayTotals => ({
  date,
  orders: 3 * n,
  items: 5 * n,
  revenueCents,
  returnedOrders: n,
  customers: 2 * n,
});
const cat = (category: string, date: string, revenueCents = 1050n): CategoryTotals => ({
  category,
  date,
  revenueCents,
  orders: 2,
  returnedOrders: 1,
});
const set = (days: DayTotals[], categories: CategoryTotals[]): KpiTotals => ({ days, categories });
const none = set([], []);

/** 92233720368547.75: beyond 2^53 cents, where a double cannot hold every cent */
const HUGE = 9223372036854775n;

export function describeKpiStoreContract(adapterName: string, factory: KpiStoreFactory) {
  describe(`KpiStore contract: ${adapterName}`, () => {
    let store: KpiStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ port: store, cleanup } = await factory());
    });
    afterEach(async () => cleanup());

    it('is empty at first', async () => {
      expect(await store.queryTotals()).toEqual(none);
      expect(await store.query()).toEqual({ order: [], category: [] });
    });

    it('keeps totals exactly, sorted by date then category, and reports KPIs derived from them', async () => {
      const stored = set(
        [day('2024-01-01', 2), day('2024-01-02', 1, HUGE)],
        [
          cat('Tops', '2024-01-01', 10n + 20n),
          cat('Accessories', '2024-01-02', HUGE - 1n),
          cat('Jeans', '2024-01-02', -5n),
        ],
      );
      await store.replaceDates(['2024-01-02', '2024-01-01'], {
        days: [...stored.days].reverse(),
        categories: [...stored.categories].reverse(),
      });
      expect(await store.queryTotals()).toEqual(stored);
      const kpis = await store.query();
      expect(kpis).toEqual(kpisFromTotals(stored));
      // money from cents: 0.10 + 0.20 is 0.3, and the huge sum prints with its cents
      expect(kpis.category[0]?.daily_revenue).toBe(0.3);
      expect(JSON.stringify(kpis.order[1]?.total_revenue)).toBe('92233720368547.75');
      expect(kpis.order[0]?.return_rate).toBe(2 / 6);
    });

    it('replacing dates removes their absent rows, upserts the others, and leaves other dates alone', async () => {
      await store.replaceDates(
        ['2024-01-01', '2024-01-02'],
        set(
          [day('2024-01-01'), day('2024-01-02')],
          [cat('A', '2024-01-01'), cat('B', '2024-01-01'), cat('A', '2024-01-02')],
        ),
      );
      await store.replaceDates(
        ['2024-01-01'],
        set([day('2024-01-01', 5)], [cat('B', '2024-01-01', 9999n)]),
      );
      expect(await store.queryTotals()).toEqual(
        set(
          [day('2024-01-01', 5), day('2024-01-02')],
          [cat('B', '2024-01-01', 9999n), cat('A', '2024-01-02')],
        ),
      );
      // a date whose orders all went away loses every row
      await store.replaceDates(['2024-01-02'], none);
      expect(await store.queryTotals()).toEqual(
        set([day('2024-01-01', 5)], [cat('B', '2024-01-01', 9999n)]),
      );
    });

    it('filters by date (both tables) and by category (category rows only)', async () => {
      await store.replaceDates(
        ['2024-01-01', '2024-01-02'],
        set(
          [day('2024-01-01'), day('2024-01-02')],
          [cat('A', '2024-01-01'), cat('B', '2024-01-01'), cat('A', '2024-01-02')],
        ),
      );
      expect(await store.queryTotals({ date: '2024-01-02' })).toEqual(
        set([day('2024-01-02')], [cat('A', '2024-01-02')]),
      );
      expect(await store.queryTotals({ category: 'A' })).toEqual(
        set(
          [day('2024-01-01'), day('2024-01-02')],
          [cat('A', '2024-01-01'), cat('A', '2024-01-02')],
        ),
      );
      expect(await store.query({ date: '2024-01-01', category: 'B' })).toEqual(
        kpisFromTotals(set([day('2024-01-01')], [cat('B', '2024-01-01')])),
      );
      expect(await store.queryTotals({ date: '2030-01-01' })).toEqual(none);
    });

    it('refuses a row whose date is not among the replaced dates, changing nothing', async () => {
      await store.replaceDates(['2024-01-01'], set([day('2024-01-01')], []));
      await expect(
        store.replaceDates(['2024-01-01'], set([day('2024-01-05')], [])),
      ).rejects.toThrow(RangeError);
      expect(await store.queryTotals()).toEqual(set([day('2024-01-01')], []));
    });
  });
}
