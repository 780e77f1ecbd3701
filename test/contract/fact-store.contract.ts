// What every FactStore adapter must do (in-memory, SQLite).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { factColumnsOf } from '../../src/domain/kpi/fact-columns.js';
import type { Fact } from '../../src/domain/kpi/kpi.types.js';
import type { FactStore } from '../../src/ports/fact-store.port.js';

export type FactStoreFactory = () => Promise<{ port: FactStore; cleanup: () => Promise<void> }>;

const D1 = Date.UTC(2024, 0, 1, 23, 59);
const D2 = Date.UTC(2024, 0, 2, 0, 1);
const D3 = Date.UTC(2024, 0, 3, 12);
const fact = (orderId: string, itemId: string, at: number, extra: Partial<Fact> = {}): Fact => ({
  itemId,
  orderId,
  userId: `u-${orderId}`,
  orderStatus: 'delivered',
  orderCreatedAt: at,
  productId: 'p1',
  category: 'Jeans',
  salePriceCents: 1999,
  ...extra,
});

export function describeFactStoreContract(adapterName: string, factory: FactStoreFactory) {
  describe(`FactStore contract: ${adapterName}`, () => {
    let store: FactStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ port: store, cleanup } = await factory());
    });
    afterEach(async () => cleanup());

    it('stores facts and returns the dates they touch, sorted', async () => {
      const dates = await store.replaceOrders(
        ['o2', 'o1'],
        factColumnsOf([fact('o2', 'i3', D2), fact('o1', 'i1', D1), fact('o1', 'i2', D1)]),
      );
      expect(dates).toEqual(['2024-01-01', '2024-01-02']);
      expect(await store.count()).toBe(3);
    });

    it('returns facts of the asked dates only, by order then item, exactly as stored', async () => {
      const noCategory = fact('o3', 'i9', D3, {
        category: null,
        orderStatus: 'returned',
        salePriceCents: 0,
      });
      await store.replaceOrders(
        ['o1', 'o2', 'o3'],
        factColumnsOf([
          fact('o2', 'i3', D2),
          fact('o1', 'i2', D1),
          fact('o1', 'i1', D1),
          noCategory,
        ]),
      );
      expect((await store.forDates(['2024-01-01'])).map((f) => f.itemId)).toEqual(['i1', 'i2']);
      expect(await store.forDates(['2024-01-03', '2024-01-02'])).toEqual([
        fact('o2', 'i3', D2),
        noCategory,
      ]);
      expect(await store.forDates(['2030-01-01'])).toEqual([]);
      expect(await store.forDates([])).toEqual([]);
    });

    it('replaces an order as a whole and returns its old and new dates', async () => {
      await store.replaceOrders(
        ['o1', 'o2'],
        factColumnsOf([fact('o1', 'i1', D1), fact('o1', 'i2', D1), fact('o2', 'i3', D1)]),
      );
      // o1 re-delivered with another date and one item fewer
      const dates = await store.replaceOrders(
        ['o1'],
        factColumnsOf([fact('o1', 'i1', D3, { orderStatus: 'returned' })]),
      );
      expect(dates).toEqual(['2024-01-01', '2024-01-03']);
      expect(await store.count()).toBe(2);
      expect((await store.forDates(['2024-01-01'])).map((f) => f.itemId)).toEqual(['i3']);
      expect(await store.forDates(['2024-01-03'])).toEqual([
        fact('o1', 'i1', D3, { orderStatus: 'returned' }),
      ]);
    });

    it('removes the facts of a listed order given no facts, and reports its dates', async () => {
      await store.replaceOrders(['o1'], factColumnsOf([fact('o1', 'i1', D2)]));
      expect(await store.replaceOrders(['o1'], factColumnsOf([]))).toEqual(['2024-01-02']);
      expect(await store.count()).toBe(0);
      expect(await store.replaceOrders([], factColumnsOf([]))).toEqual([]);
    });

    it('keys facts by item id: an item re-delivered under another order leaves the old one', async () => {
      await store.replaceOrders(
        ['o1'],
        factColumnsOf([fact('o1', 'i1', D1), fact('o1', 'i2', D1)]),
      );
      const dates = await store.replaceOrders(['o2'], factColumnsOf([fact('o2', 'i2', D2)]));
      expect(dates).toEqual(['2024-01-01', '2024-01-02']);
      expect(await store.count()).toBe(2);
      expect(
        (await store.forDates(['2024-01-01', '2024-01-02'])).map((f) => `${f.orderId}/${f.itemId}`),
      ).toEqual(['o1/i1', 'o2/i2']);
    });

    it('treats an order only present in the facts as replaced too', async () => {
      await store.replaceOrders(
        ['o1'],
        factColumnsOf([fact('o1', 'i1', D1), fact('o1', 'i2', D1)]),
      );
      await store.replaceOrders([], factColumnsOf([fact('o1', 'i1', D1)]));
      expect(await store.count()).toBe(1);
    });

    it('touchedBy answers what replaceOrders will return, without writing', async () => {
      await store.replaceOrders(
        ['o1'],
        factColumnsOf([fact('o1', 'i1', D1), fact('o1', 'i2', D1)]),
      );
      await store.replaceOrders(['o2'], factColumnsOf([fact('o2', 'i5', D3)]));
      // o1 moves to D2, and item i5 moves from o2 into o1
      const next = [fact('o1', 'i1', D2), fact('o1', 'i5', D2)];
      const before = await store.touchedBy(['o1'], factColumnsOf(next));
      expect(await store.count()).toBe(3);
      expect(before).toEqual(['2024-01-01', '2024-01-02', '2024-01-03']);
      expect(await store.replaceOrders(['o1'], factColumnsOf(next))).toEqual(before);
    });

    it('version is null (cannot tell), or changes with every write and only then', async () => {
      const before = await store.version();
      if (before === null) {
        await store.replaceOrders(['o1'], factColumnsOf([fact('o1', 'i1', D1)]));
        expect(await store.version()).toBeNull();
        return;
      }
      // reads leave it as it is
      await store.kpiTotals(['2024-01-01']);
      await store.touchedBy(['o1'], factColumnsOf([fact('o1', 'i1', D1)]));
      expect(await store.version()).toBe(before);
      await store.replaceOrders(['o1'], factColumnsOf([fact('o1', 'i1', D1)]));
      const written = await store.version();
      expect(written).not.toBe(before);
      await store.reset();
      expect(await store.version()).not.toBe(written);
    });

    it('reset removes every fact', async () => {
      await store.replaceOrders(['o1'], factColumnsOf([fact('o1', 'i1', D1)]));
      await store.reset();
      expect(await store.count()).toBe(0);
      expect(await store.forDates(['2024-01-01'])).toEqual([]);
    });
  });
}
