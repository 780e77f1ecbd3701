// The columns of each dataset the workflow stages read of a group's staged rows: the group rules
// (validation/group-rules.ts: keys, user ids, num_of_item, product ids) and the fact join
// (kpi/join-facts.ts: status, created_at, sale_price, category). A group's rows are loaded with
// these only; a column not listed reads as all-null (group-data.ts), so a stage that starts
// reading another column must add it here (group-rules-columnar.test.ts runs both readers over
// rows loaded with and without this projection; facts-join.test.ts the join over JOIN_COLUMNS).
import type { DatasetName } from './datasets.js';

/** the columns of each dataset a stage reads: STAGE_COLUMNS, or a part of them */
export type StageColumns = Readonly<Record<DatasetName, readonly string[]>>;

export const STAGE_COLUMNS: StageColumns = {
  orders: ['order_id', 'user_id', 'status', 'created_at', 'num_of_item'],
  order_items: ['id', 'order_id', 'user_id', 'product_id', 'sale_price'],
  products: ['id', 'category'],
};

/**
 * The part of STAGE_COLUMNS the fact join reads (kpi/join-facts.ts). Transform keeps only these of
 * the rows Validate selected, so an item's user_id (~60 MB of arrays and strings at 3M items)
 * and an order's num_of_item, read by the group rules only, are not held under the join's peak.
 */
export const JOIN_COLUMNS: StageColumns = {
  orders: ['order_id', 'user_id', 'status', 'created_at'],
  order_items: ['id', 'order_id', 'product_id', 'sale_price'],
  products: ['id', 'category'],
};

/**
 * Stage columns whose values repeat all over a file, not only row after row: an item's
 * product_id names one of a few thousand products. Read as one string per distinct value of a
 * batch, they stop costing a string per row (3M items: ~3M product-id strings, ~70 MB of heap,
 * held by a group's rows through the fact join). Ids that repeat only next to each other (an
 * item's order_id and user_id) are shared by the reader anyway.
 */
export const SHARED_VALUE_COLUMNS: StageColumns = {
  orders: [],
  order_items: ['product_id'],
  products: [],
};
