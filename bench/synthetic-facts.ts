// Facts of a generated shop for the SQLite KPI benches: ~3 items per order over 1,095 days,
// 100k customers, 10k products, every tenth order returned, the shape of the shop.
import type { SqliteFactStore } from '../src/adapters/sqlite/sqlite-fact-store.js';
import { factColumnsOf } from '../src/domain/kpi/fact-columns.js';
import type { Fact } from '../src/domain/kpi/kpi.types.js';

const DAY = 86_400_000;
const START = Date.UTC(2022, 0, 1);
const CATEGORIES = ['Jeans', 'Tops', 'Accessories', 'Shoes', 'Outerwear', null];

/** writes `items` synthetic facts into the store; returns the dates they fall on */
export const storeSyntheticFacts = async (
  store: SqliteFactStore,
  items: number,
): Promise<string[]> => {
  const batch: Fact[] = [];
  const orderIds: string[] = [];
  for (let i = 0; i < items; i++) {
    const order = Math.floor(i / 3);
    batch.push({
      itemId: `i${i}`,
      orderId: `o${order}`,
      userId: `u${order % 100_000}`,
      orderStatus: order % 10 === 0 ? 'returned' : 'delivered',
      orderCreatedAt: START + (order % 1095) * DAY + (order % 86_400) * 1000,
      productId: `p${i % 10_000}`,
      category: CATEGORIES[i % CATEGORIES.length] ?? null,
      salePriceCents: (i * 7919) % 50_000,
    });
    if (i % 3 === 0) orderIds.push(`o${order}`);
  }
  return store.replaceOrders(orderIds, factColumnsOf(batch));
};
