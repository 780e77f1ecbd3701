// Facts of a generated shop for the SQLite KPI benches: ~3 items per order over 1,095 days,
// 100k customers, 10k products, every tenth order returned, the shape of the shop.
import type { SqliteFactStore } from '../src/adapters/sqlite/sqlite-fact-store.js';
import {
  FactColumnsBuilder,
  factColumnsOf,
  type FactColumns,
} from '../src/domain/kpi/fact-columns.js';
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

/**
 * A group of `items` new facts over `dates` consecutive days as columns, the shape of the
 * pipeline bench's shop (3 items an order, numeric ids, orders in date order), and its order ids.
 */
export const syntheticGroup = (
  items: number,
  dates: number,
): { orderIds: string[]; facts: FactColumns } => {
  const start = Date.UTC(2025, 2, 1);
  const statuses = ['delivered', 'returned', 'shipped'];
  const builder = new FactColumnsBuilder(items);
  const orderIds: string[] = [];
  for (let i = 0; i < items; i++) {
    const order = Math.floor(i / 3);
    const at = start + Math.floor((order * 3 * dates) / items) * DAY + (order % 86_400) * 1000;
    if (i % 3 === 0) orderIds.push(String(order + 1));
    builder.push(
      String(i + 1),
      String(order + 1),
      String((order * 7919) % 300_000),
      statuses[order % 3] as string,
      at,
      String(i % 10_000),
      CATEGORIES[i % CATEGORIES.length] ?? null,
      (i * 7919) % 50_000,
    );
  }
  return { orderIds, facts: builder.build() };
};
