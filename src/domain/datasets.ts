// Dataset schemas as data: the single source for headers, types, keys and required fields.
export type DatasetName = 'orders' | 'order_items' | 'products';
export const DATASET_NAMES: readonly DatasetName[] = ['orders', 'order_items', 'products'];

/** string: kept as text; int: whole number; money: exact integer minor units (cents);
 *  timestamp: UTC epoch milliseconds. */
export type ColumnType = 'string' | 'int' | 'money' | 'timestamp';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** required.not-null applies */
  readonly required: boolean;
}

export interface DatasetSchema {
  readonly name: DatasetName;
  readonly columns: readonly ColumnSpec[];
  /** unique key within a file (unique.key) */
  readonly key: string;
}

const col = (name: string, type: ColumnType, required = false): ColumnSpec => ({
  name,
  type,
  required,
});

export const SCHEMAS: Readonly<Record<DatasetName, DatasetSchema>> = {
  orders: {
    name: 'orders',
    key: 'order_id',
    columns: [
      col('order_id', 'string', true),
      col('user_id', 'string', true),
      col('status', 'string', true),
      col('created_at', 'timestamp', true),
      col('returned_at', 'timestamp'),
      col('shipped_at', 'timestamp'),
      col('delivered_at', 'timestamp'),
      col('num_of_item', 'int'),
    ],
  },
  order_items: {
    name: 'order_items',
    key: 'id',
    columns: [
      col('id', 'string', true),
      col('order_id', 'string', true),
      col('user_id', 'string', true),
      col('product_id', 'string', true),
      col('status', 'string', true),
      col('created_at', 'timestamp'),
      col('shipped_at', 'timestamp'),
      col('delivered_at', 'timestamp'),
      col('returned_at', 'timestamp'),
      col('sale_price', 'money'),
    ],
  },
  products: {
    name: 'products',
    key: 'id',
    columns: [
      col('id', 'string', true),
      col('sku', 'string', true),
      col('cost', 'money'),
      col('category', 'string'),
      col('name', 'string', true),
      col('brand', 'string', true),
      col('retail_price', 'money'),
      col('department', 'string'),
    ],
  },
};

export const ORDER_STATUSES = [
  'pending',
  'processing',
  'shipped',
  'delivered',
  'cancelled',
  'returned',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Money is held as integer minor units with this many decimals. */
export const MONEY_SCALE = 2;
