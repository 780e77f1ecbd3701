// Table definitions of the three analytics tables and the row <-> domain conversions.
// Money is stored as double (2 decimals already rounded by the KPI code); Spark, DuckDB and
// Athena read it as DOUBLE. Counts are long; order_created_at is a UTC microsecond timestamp.
import type { CategoryKpi, Fact, OrderKpi } from '../../domain/kpi/kpi.types.js';
import type { Row } from './delta-rows.js';
import { field } from './delta-schema.js';
import type { DeltaTableDefinition } from './delta-commit.js';

const byDate = ['order_date'];

export const ORDER_FACTS: DeltaTableDefinition = {
  fields: [
    field('item_id', 'string', false),
    field('order_id', 'string', false),
    field('user_id', 'string'),
    field('order_status', 'string'),
    field('order_created_at', 'timestamp'),
    field('product_id', 'string'),
    field('category', 'string'),
    field('sale_price', 'double'),
    field('order_date', 'date'),
  ],
  partitionColumns: byDate,
};

export const CATEGORY_KPIS: DeltaTableDefinition = {
  fields: [
    field('category', 'string'),
    field('order_date', 'date'),
    field('daily_revenue', 'double'),
    field('avg_order_value', 'double'),
    field('avg_return_rate', 'double'),
  ],
  partitionColumns: byDate,
};

export const ORDER_KPIS_DAILY: DeltaTableDefinition = {
  fields: [
    field('order_date', 'date'),
    field('total_orders', 'long'),
    field('total_revenue', 'double'),
    field('total_items_sold', 'long'),
    field('return_rate', 'double'),
    field('unique_customers', 'long'),
  ],
  partitionColumns: byDate,
};

/** The spec's order_date: the UTC calendar date of orders.created_at. */
export const orderDate = (createdAtMs: number): string =>
  new Date(createdAtMs).toISOString().slice(0, 10);

export const factToRow = (f: Fact): Row => ({
  item_id: f.itemId,
  order_id: f.orderId,
  user_id: f.userId,
  order_status: f.orderStatus,
  order_created_at: f.orderCreatedAt,
  product_id: f.productId,
  category: f.category,
  sale_price: f.salePriceCents / 100,
  order_date: orderDate(f.orderCreatedAt),
});

export const rowToFact = (r: Row): Fact => ({
  itemId: String(r.item_id),
  orderId: String(r.order_id),
  userId: String(r.user_id),
  orderStatus: String(r.order_status),
  orderCreatedAt: Number(r.order_created_at),
  productId: String(r.product_id),
  category: r.category === null ? null : String(r.category),
  salePriceCents: Math.round(Number(r.sale_price) * 100),
});

export const rowToOrderKpi = (r: Row): OrderKpi => ({
  order_date: String(r.order_date),
  total_orders: Number(r.total_orders),
  total_revenue: Number(r.total_revenue),
  total_items_sold: Number(r.total_items_sold),
  return_rate: Number(r.return_rate),
  unique_customers: Number(r.unique_customers),
});

export const rowToCategoryKpi = (r: Row): CategoryKpi => ({
  category: String(r.category),
  order_date: String(r.order_date),
  daily_revenue: Number(r.daily_revenue),
  avg_order_value: Number(r.avg_order_value),
  avg_return_rate: Number(r.avg_return_rate),
});
