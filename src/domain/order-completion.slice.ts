// Around the completion decider: loading the slice of stored state a landing can touch, and
// telling what a pending order still lacks (for status).
import type {
  CompletionState,
  ItemRow,
  LandedRows,
  OrderState,
  RowLocation,
} from './order-completion.types.js';

export interface OrderLacks {
  readonly orderId: string;
  readonly hasOrderRow: boolean;
  /** null until the order row has landed */
  readonly expectedItems: number | null;
  readonly landedItems: number;
  readonly missingProducts: readonly string[];
  /** epoch ms of the first landing that mentioned this order */
  readonly firstSeenAt: number;
}

/** What an order still lacks (for status), from the state around it. */
export const lacksOf = (state: CompletionState, orderId: string): OrderLacks | null => {
  const order = state.orders.get(orderId);
  if (order === undefined) return null;
  const missing = new Set<string>();
  for (const itemId of order.itemIds) {
    const productId = state.items.get(itemId)?.productId;
    if (productId !== undefined && !state.products.has(productId)) missing.add(productId);
  }
  const n = order.row?.numOfItems;
  return {
    orderId,
    hasOrderRow: order.row !== null,
    expectedItems: n === undefined || Number.isNaN(n) ? null : n,
    landedItems: order.itemIds.size,
    missingProducts: [...missing].sort(),
    firstSeenAt: order.firstSeenAt,
  };
};

/** Synchronous reads of stored rows, so the slice is loaded inside the store's transaction. */
export interface CompletionLookup {
  order(orderId: string): OrderState | undefined;
  item(itemId: string): ItemRow | undefined;
  product(productId: string): RowLocation | undefined;
  /** orders not complete now whose items reference one of these products */
  ordersWaitingFor(productIds: readonly string[]): Iterable<string>;
}

/** The part of the stored state a landing can read or change. */
export const sliceFor = (rows: LandedRows, lookup: CompletionLookup): CompletionState => {
  const orders = new Map<string, OrderState>();
  const items = new Map<string, ItemRow>();
  const products = new Map<string, RowLocation>();
  // each id is looked up once: a 10k-row file names the same products and orders many times
  const seenItems = new Set<string>();
  const seenProducts = new Set<string>();
  const addProduct = (productId: string) => {
    if (seenProducts.has(productId)) return;
    seenProducts.add(productId);
    const product = lookup.product(productId);
    if (product !== undefined) products.set(productId, product);
  };
  const addItem = (itemId: string): ItemRow | undefined => {
    if (!seenItems.has(itemId)) {
      seenItems.add(itemId);
      const item = lookup.item(itemId);
      if (item !== undefined) {
        items.set(itemId, item);
        addProduct(item.productId);
      }
    }
    return items.get(itemId);
  };
  const addOrder = (orderId: string) => {
    if (orders.has(orderId)) return;
    const order = lookup.order(orderId);
    if (order === undefined) return;
    orders.set(orderId, order);
    order.itemIds.forEach(addItem);
  };
  switch (rows.dataset) {
    case 'orders':
      rows.orderIds.forEach(addOrder);
      break;
    case 'order_items':
      rows.itemIds.forEach((itemId, i) => {
        addOrder(rows.orderIds[i] ?? '');
        const before = addItem(itemId);
        if (before !== undefined) addOrder(before.orderId);
        addProduct(rows.productIds[i] ?? '');
      });
      break;
    case 'products':
      for (const orderId of lookup.ordersWaitingFor(rows.productIds)) addOrder(orderId);
      break;
  }
  return { orders, items, products };
};
