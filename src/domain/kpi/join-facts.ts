// Facts: every item of a group joined to its order and its product. Duplicate rows of one key
// (re-delivered files) collapse to the last version seen, so a fact is never counted twice;
// whether such versions conflict is the Validate stage's business (group.conflicting-versions).
import { KeySlots } from '../key-slots.js';
import { FactColumnsBuilder, type FactColumns } from './fact-columns.js';
import {
  numberAt,
  numberColumn,
  rowCount,
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
  readonly facts: FactColumns;
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

/**
 * The orders as columns, numbered by KeySlots (slot = the order's number among the distinct ids):
 * no Map and no object per order. Each column is sized once for the orders' row count. A Map of
 * 1.2M order ids with growing columns cost ~145 MB of heap at 3M items (the Map's tables and the
 * copies left by growing), alive with the staged rows and the fact columns: the run's peak.
 */
interface OrderColumns {
  readonly slots: KeySlots;
  readonly userId: (string | null)[];
  /** lower-case status ('' when absent): lowered once per order, not once per item */
  readonly status: string[];
  /** epoch ms; NaN when created_at is absent */
  readonly createdAt: Float64Array;
}

const orderColumns = (orders: readonly SourcedBatch[]): OrderColumns => {
  const rows = rowCount(orders);
  const table: OrderColumns = {
    slots: new KeySlots(rows),
    userId: new Array<string | null>(rows),
    status: new Array<string>(rows),
    createdAt: new Float64Array(rows),
  };
  // statuses take a handful of values: one lower-case string each, shared by all orders
  const lowered = new Map<string, string>();
  for (const { batch } of orders) {
    const ids = stringColumn(batch, 'order_id').values;
    const users = stringColumn(batch, 'user_id').values;
    const statuses = stringColumn(batch, 'status').values;
    const created = numberColumn(batch, 'created_at');
    for (let r = 0; r < batch.length; r++) {
      const id = ids[r];
      if (id === null || id === undefined) continue;
      const raw = statuses[r] ?? '';
      let status = lowered.get(raw);
      if (status === undefined) lowered.set(raw, (status = raw.toLowerCase()));
      // last version wins: a repeated order overwrites its slot (a new one answers ~slot)
      const found = table.slots.slotOf(id);
      const slot = found < 0 ? ~found : found;
      table.userId[slot] = users[r] ?? null;
      table.status[slot] = status;
      table.createdAt[slot] = numberAt(created, r) ?? Number.NaN;
    }
  }
  return table;
};

/** the columns joinFacts fills for these rows (sized for every item), empty */
export const factColumnsFor = (data: GroupData): FactColumnsBuilder =>
  new FactColumnsBuilder(rowCount(data.items));

/**
 * `facts`: the empty columns to fill, factColumnsFor(data) when not given (a caller may make them
 * ahead: the Transform makes them with its reclaim, see TransformGroup.groupFacts)
 */
export const joinFacts = (data: GroupData, facts = factColumnsFor(data)): JoinedFacts => {
  const orders = orderColumns(data.orders);
  const products = indexProducts(data.products);
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
      const slot = orderId === null ? -1 : orders.slots.find(orderId);
      const order = slot < 0 ? undefined : slot;
      const undated = order !== undefined && Number.isNaN(orders.createdAt[order]);
      // one lookup: a known product's category is a string or null, never undefined
      const category = productId === null ? undefined : products.get(productId);
      const lacksProduct = category === undefined;
      // the list of what is lacking is built for the rare item that lacks something only
      if (itemId === null || order === undefined || undated || lacksProduct) {
        const lacks: MissingReference['missing'][number][] = [];
        if (itemId === null) lacks.push('item-key');
        if (order === undefined) lacks.push('order');
        else if (undated) lacks.push('order-created-at');
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
      // sale_price is optional in the schema: an item without one adds no revenue
      const cents = numberAt(prices, r) ?? 0;
      facts.push(
        itemId,
        orderId as string,
        orders.userId[order] ?? '',
        orders.status[order] as string,
        orders.createdAt[order] as number,
        productId as string,
        category,
        cents,
      );
    }
  }
  return { facts: facts.build(), missing };
};
