// The facts join as written before it produced columns (a Fact object per item, a Map by item
// id): kept as the oracle the columnar joinFacts is proven equal to (facts-join.test.ts).
import {
  indexOrders,
  indexProducts,
  type MissingReference,
} from '../../../src/domain/kpi/join-facts.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';
import {
  numberAt,
  numberColumn,
  stringColumn,
  type GroupData,
} from '../../../src/domain/group-data.js';

export const joinFactsAsObjects = (
  data: GroupData,
): { facts: Fact[]; missing: MissingReference[] } => {
  const orders = indexOrders(data.orders);
  const products = indexProducts(data.products);
  const byItem = new Map<string, Fact>();
  const missing: MissingReference[] = [];
  for (const { file, batch } of data.items) {
    const ids = stringColumn(batch, 'id').values;
    const orderIds = stringColumn(batch, 'order_id').values;
    const productIds = stringColumn(batch, 'product_id').values;
    const prices = numberColumn(batch, 'sale_price');
    for (let r = 0; r < batch.length; r++) {
      const itemId = ids[r] ?? null;
      const orderId = orderIds[r] ?? null;
      const productId = productIds[r] ?? null;
      const order = orderId === null ? undefined : orders.get(orderId);
      const lacksProduct = productId === null || !products.has(productId);
      // the list of what is lacking is built for the rare item that lacks something only
      if (itemId === null || order === undefined || order.createdAt === null || lacksProduct) {
        const lacks: MissingReference['missing'][number][] = [];
        if (itemId === null) lacks.push('item-key');
        if (order === undefined) lacks.push('order');
        else if (order.createdAt === null) lacks.push('order-created-at');
        if (lacksProduct) lacks.push('product');
        missing.push({
          file,
          line: batch.lines[r] ?? 0,
          itemId,
          orderId,
          productId,
          missing: lacks,
        });
        continue;
      }
      byItem.set(itemId, {
        itemId,
        orderId: orderId as string,
        userId: order.userId ?? '',
        orderStatus: (order.status ?? '').toLowerCase(),
        orderCreatedAt: order.createdAt as number,
        productId,
        category: products.get(productId) ?? null,
        // sale_price is optional in the schema: an item without one adds no revenue
        salePriceCents: numberAt(prices, r) ?? 0,
      });
    }
  }
  return { facts: [...byItem.values()], missing };
};
