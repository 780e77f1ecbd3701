// io-ts codecs for single typed records (messages, small inputs); the hot path uses ColumnBatch.
// Field names are the dataset columns; timestamps are UTC epoch ms, money integer cents.
import * as t from 'io-ts';
import { ORDER_STATUSES, type OrderStatus } from './datasets.js';

const isInteger = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u);

/** a safe integer (counts, cents, epoch ms) */
export const IntegerC = new t.Type<number, number, unknown>(
  'Integer',
  isInteger,
  (u, c) => (isInteger(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

const orderStatusKeys = Object.fromEntries(ORDER_STATUSES.map((s) => [s, null])) as Record<
  OrderStatus,
  null
>;
export const OrderStatusC = t.keyof(orderStatusKeys, 'OrderStatus');

const EpochMsOrNull = t.union([IntegerC, t.null]);
const CentsOrNull = t.union([IntegerC, t.null]);
const StringOrNull = t.union([t.string, t.null]);

export const OrderC = t.readonly(
  t.type({
    order_id: t.string,
    user_id: t.string,
    status: OrderStatusC,
    created_at: IntegerC,
    returned_at: EpochMsOrNull,
    shipped_at: EpochMsOrNull,
    delivered_at: EpochMsOrNull,
    num_of_item: t.union([IntegerC, t.null]),
  }),
  'Order',
);

export const OrderItemC = t.readonly(
  t.type({
    id: t.string,
    order_id: t.string,
    user_id: t.string,
    product_id: t.string,
    /** free text: domain.item-status is only a warning */
    status: t.string,
    created_at: EpochMsOrNull,
    shipped_at: EpochMsOrNull,
    delivered_at: EpochMsOrNull,
    returned_at: EpochMsOrNull,
    sale_price: CentsOrNull,
  }),
  'OrderItem',
);

export const ProductC = t.readonly(
  t.type({
    id: t.string,
    sku: t.string,
    cost: CentsOrNull,
    category: StringOrNull,
    name: t.string,
    brand: t.string,
    retail_price: CentsOrNull,
    department: StringOrNull,
  }),
  'Product',
);

export type Order = t.TypeOf<typeof OrderC>;
export type OrderItem = t.TypeOf<typeof OrderItemC>;
export type Product = t.TypeOf<typeof ProductC>;
