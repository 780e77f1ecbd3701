// Order completion (spec section 3) as a decider. An order is complete when its order row has
// landed, exactly num_of_item distinct item ids carry its order id, and every product those
// items reference has landed. Completion is reported when the content fingerprint (order-row
// hash + sorted item hashes) differs from the last one reported for the order: a changed row
// completes the order again, also when it changes back to an earlier version (the new version
// replaces the old one), while an identical re-delivery of the current content does not.
// Adapters hold the rows; they load the slice of state a landing can affect, call decide, and
// store what evolve would.
import { assertNever } from './events.js';
import { fingerprint } from './fingerprint.js';
import type {
  CompletionCommand,
  CompletionEvent,
  CompletionState,
  ItemRow,
  LandedRows,
  OrderCompletion,
  OrderState,
  RowLocation,
} from './order-completion.types.js';

export type * from './order-completion.types.js';
export {
  lacksOf,
  sliceFor,
  type CompletionLookup,
  type OrderLacks,
} from './order-completion.slice.js';

export const initialState = (): CompletionState => ({
  orders: new Map(),
  items: new Map(),
  products: new Map(),
});

const emptyOrder = (now: number): OrderState => ({
  firstSeenAt: now,
  row: null,
  itemIds: new Set(),
  lastCompleted: null,
});

// Evolving copies each map once per batch of events and edits the copies: copying per event
// would make a 10k-row landing quadratic. The input state is never changed.
interface Draft {
  orders: Map<string, OrderState>;
  items: Map<string, ItemRow>;
  products: Map<string, RowLocation>;
}

const landRows = (draft: Draft, rows: LandedRows, now: number): void => {
  const { orders } = draft;
  const orderOf = (id: string): OrderState => orders.get(id) ?? emptyOrder(now);
  const loc = (i: number) => ({
    key: rows.fileKey,
    stagedKey: rows.stagedKey,
    hash: rows.hashes[i] ?? '',
  });
  switch (rows.dataset) {
    case 'orders':
      rows.orderIds.forEach((id, i) => {
        const row = {
          ...loc(i),
          numOfItems: rows.numOfItems[i] ?? NaN,
          createdAt: rows.createdAt[i] ?? NaN,
        };
        orders.set(id, { ...orderOf(id), row });
      });
      return;
    case 'order_items':
      rows.itemIds.forEach((itemId, i) => {
        const orderId = rows.orderIds[i] ?? '';
        const before = draft.items.get(itemId);
        // an item re-delivered under another order leaves its old order
        if (before !== undefined && before.orderId !== orderId) {
          const old = orders.get(before.orderId);
          if (old !== undefined) {
            const itemIds = new Set(old.itemIds);
            itemIds.delete(itemId);
            orders.set(before.orderId, { ...old, itemIds });
          }
        }
        draft.items.set(itemId, { ...loc(i), orderId, productId: rows.productIds[i] ?? '' });
        const order = orderOf(orderId);
        if (!order.itemIds.has(itemId)) {
          orders.set(orderId, { ...order, itemIds: new Set(order.itemIds).add(itemId) });
        }
      });
      return;
    case 'products':
      rows.productIds.forEach((id, i) => draft.products.set(id, loc(i)));
      return;
  }
};

const apply = (draft: Draft, event: CompletionEvent): void => {
  switch (event.type) {
    case 'RowsLanded':
      return landRows(draft, event.rows, event.now);
    case 'OrderCompleted': {
      const { orderId, fingerprint: fp } = event.completion;
      const order = draft.orders.get(orderId);
      if (order !== undefined) {
        draft.orders.set(orderId, { ...order, lastCompleted: fp });
      }
      return;
    }
    default:
      return assertNever(event);
  }
};

/** The state after all these events (what reducing them with evolve gives, in one pass). */
export const evolveAll = (
  state: CompletionState,
  events: readonly CompletionEvent[],
): CompletionState => {
  const draft: Draft = {
    orders: new Map(state.orders),
    items: new Map(state.items),
    products: new Map(state.products),
  };
  for (const e of events) apply(draft, e);
  return draft;
};

export const evolve = (state: CompletionState, event: CompletionEvent): CompletionState =>
  evolveAll(state, [event]);

const byKey = <T>(entries: [string, T][]): T[] =>
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);

/** Whether the order is complete now (completionOf without building the completion). */
export const isComplete = (state: CompletionState, orderId: string): boolean => {
  const order = state.orders.get(orderId);
  const row = order?.row;
  if (order === undefined || row === null || row === undefined) return false;
  if (order.itemIds.size !== row.numOfItems) return false;
  for (const itemId of order.itemIds) {
    const item = state.items.get(itemId);
    if (item === undefined || !state.products.has(item.productId)) return false;
  }
  return true;
};

/** The order's completion if it is complete now (whether or not already reported). */
export const completionOf = (state: CompletionState, orderId: string): OrderCompletion | null => {
  const order = state.orders.get(orderId);
  const row = order?.row;
  if (order === undefined || row === null || row === undefined) return null;
  if (order.itemIds.size !== row.numOfItems) return null;
  const items: [string, ItemRow][] = [];
  const products = new Map<string, RowLocation>();
  for (const itemId of order.itemIds) {
    const item = state.items.get(itemId);
    if (item === undefined) return null;
    const product = state.products.get(item.productId);
    if (product === undefined) return null;
    items.push([itemId, item]);
    products.set(item.productId, product);
  }
  const itemRows = byKey(items);
  const fp = fingerprint([row.hash, ...itemRows.map((i) => i.hash).sort()]);
  const location = (r: RowLocation): RowLocation => ({
    key: r.key,
    stagedKey: r.stagedKey,
    hash: r.hash,
  });
  return {
    orderId,
    fingerprint: fp,
    createdAt: row.createdAt,
    order: location(row),
    items: itemRows.map(location),
    products: byKey([...products]).map(location),
  };
};

/** Orders whose completion a landing of these rows can change, given the state before it. */
export const touchedOrders = (state: CompletionState, rows: LandedRows): string[] => {
  const out = new Set<string>();
  switch (rows.dataset) {
    case 'orders':
      rows.orderIds.forEach((id) => out.add(id));
      break;
    case 'order_items':
      rows.itemIds.forEach((itemId, i) => {
        out.add(rows.orderIds[i] ?? '');
        const before = state.items.get(itemId);
        if (before !== undefined) out.add(before.orderId);
      });
      break;
    case 'products': {
      const landed = new Set(rows.productIds);
      for (const [orderId, order] of state.orders) {
        for (const itemId of order.itemIds) {
          const productId = state.items.get(itemId)?.productId;
          if (productId !== undefined && landed.has(productId)) {
            out.add(orderId);
            break;
          }
        }
      }
      break;
    }
  }
  return [...out];
};

export const decide = (command: CompletionCommand, state: CompletionState): CompletionEvent[] => {
  const landed: CompletionEvent = { type: 'RowsLanded', rows: command.rows, now: command.now };
  const next = evolveAll(state, [landed]);
  const events: CompletionEvent[] = [landed];
  for (const orderId of touchedOrders(state, command.rows)) {
    const completion = completionOf(next, orderId);
    if (completion !== null && completion.fingerprint !== next.orders.get(orderId)?.lastCompleted) {
      events.push({ type: 'OrderCompleted', completion });
    }
  }
  return events;
};
