// Facts: every item of a group joined to its order and its product. Duplicate rows of one key
// (re-delivered files) collapse to the last version seen, so a fact is never counted twice;
// whether such versions conflict is the Validate stage's business (group.conflicting-versions).
import type { Fact } from './kpi.types.js';
import {
  numberAt,
  numberColumn,
  stringColumn,
  type GroupData,
  type SourcedBatch,
} from '../group-data.js';

export interface MissingReference {
  readonly file: string;
  readonly line: number;
  readonly itemId: string | null;
  readonly orderId: string | null;
  readonly productId: string | null;
  /** what the item lacks to become a fact */
  readonly missing: readonly ('order' | 'product' | 'order-created-at' | 'item-key')[];
}

export interface JoinedFacts {
  readonly facts: Fact[];
  readonly missing: MissingReference[];
}

/** An order row as the facts and the group rules need it; file and line locate failures. */
export interface OrderRef {
  readonly file: string;
  readonly line: number;
  readonly userId: string | null;
  readonly status: string | null;
  readonly createdAt: number | null;
  readonly numOfItem: number | null;
}

/** order_id -> order columns the facts and the group rules need (last version wins) */
export const indexOrders = (orders: readonly SourcedBatch[]): Map<string, OrderRef> => {
  const index = new Map<string, OrderRef>();
  for (const { file, batch } of orders) {
    const ids = stringColumn(batch, 'order_id').values;
    const users = stringColumn(batch, 'user_id').values;
    const statuses = stringColumn(batch, 'status').values;
    const created = numberColumn(batch, 'created_at');
    const counts = numberColumn(batch, 'num_of_item');
    for (let r = 0; r < batch.length; r++) {
      const id = ids[r];
      if (id === null || id === undefined) continue;
      index.set(id, {
        file,
        line: batch.lines[r] ?? 0,
        userId: users[r] ?? null,
        status: statuses[r] ?? null,
        createdAt: numberAt(created, r),
        numOfItem: numberAt(counts, r),
      });
    }
  }
  return index;
};

/** product id -> category (null when the product has no category; last version wins) */
export const indexProducts = (products: readonly SourcedBatch[]): Map<string, string | null> => {
  const index = new Map<string, string | null>();
  for (const { batch } of products) {
    const ids = stringColumn(batch, 'id').values;
    const categories = stringColumn(batch, 'category').values;
    for (let r = 0; r < batch.length; r++) {
      const id = ids[r];
      if (id !== null && id !== undefined) index.set(id, categories[r] ?? null);
    }
  }
  return index;
};

export const joinFacts = (data: GroupData): JoinedFacts => {
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
