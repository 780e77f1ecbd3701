// Table definitions of the three analytics tables and the row <-> domain conversions.
// Money is decimal(18,2): the row holds integer cents (delta-decimal.ts), so Spark, DuckDB and
// Athena sum it exactly. Counts are long; rates double; order_created_at a UTC microsecond
// timestamp.
import type { FactColumns } from '../../domain/kpi/fact-columns.js';
import type { CategoryKpi, Fact, OrderKpi } from '../../domain/kpi/kpi.types.js';
import { utcDate } from '../../domain/dates.js';
import type { Row } from './delta-rows.js';
import { field } from './delta-schema.js';
import type { DeltaTableDefinition } from './delta-commit.js';

const byDate = ['order_date'];
// One txn per transform (delta-analytics-tables.ts) would otherwise pile up in every checkpoint
// forever; a transform retried after 30 days rewrites the same rows, so expiry loses nothing.
const configuration = { 'delta.setTransactionRetentionDuration': 'interval 30 days' };
const MONEY = 'decimal(18,2)';

// The KPI rows carry amounts with 2 decimals; the table holds their exact cents.
const amountToCents = (amount: number): number => Math.round(amount * 100);
const centsToAmount = (cents: unknown): number => Number(cents) / 100;

export const ORDER_FACTS: DeltaTableDefinition = {
  fields: [
    field('item_id', 'string', false),
    field('order_id', 'string', false),
    field('user_id', 'string'),
    field('order_status', 'string'),
    field('order_created_at', 'timestamp'),
    field('product_id', 'string'),
    field('category', 'string'),
    field('sale_price', MONEY),
    field('order_date', 'date'),
  ],
  partitionColumns: byDate,
  configuration,
  // a dictionary only for statuses, products, categories and prices
  plainColumns: ['item_id', 'order_id', 'user_id', 'order_created_at'],
};

export const CATEGORY_KPIS: DeltaTableDefinition = {
  fields: [
    field('category', 'string'),
    field('order_date', 'date'),
    field('daily_revenue', MONEY),
    field('avg_order_value', MONEY),
    field('avg_return_rate', 'double'),
  ],
  partitionColumns: byDate,
  configuration,
};

export const ORDER_KPIS_DAILY: DeltaTableDefinition = {
  fields: [
    field('order_date', 'date'),
    field('total_orders', 'long'),
    field('total_revenue', MONEY),
    field('total_items_sold', 'long'),
    field('return_rate', 'double'),
    field('unique_customers', 'long'),
  ],
  partitionColumns: byDate,
  configuration,
};

/** The spec's order_date: the UTC calendar date of orders.created_at. */
export const orderDate = (createdAtMs: number): string => utcDate(createdAtMs);

/** order_facts' data columns (order_date is the partition), in factSources' order */
export const FACT_COLUMNS = [
  'item_id',
  'order_id',
  'user_id',
  'order_status',
  'order_created_at',
  'product_id',
  'category',
  'sale_price',
] as const;

/** the fact columns that hold FACT_COLUMNS, in that order (a Row's values, without the Row) */
export const factSources = (f: FactColumns): readonly ArrayLike<unknown>[] => [
  f.itemId,
  f.orderId,
  f.userId,
  f.orderStatus,
  f.orderCreatedAt,
  f.productId,
  f.category,
  f.salePriceCents,
];

export const factToRow = (f: Fact): Row => ({
  item_id: f.itemId,
  order_id: f.orderId,
  user_id: f.userId,
  order_status: f.orderStatus,
  order_created_at: f.orderCreatedAt,
  product_id: f.productId,
  category: f.category,
  sale_price: f.salePriceCents,
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
  salePriceCents: Number(r.sale_price),
});

export const rowToOrderKpi = (r: Row): OrderKpi => ({
  order_date: String(r.order_date),
  total_orders: Number(r.total_orders),
  total_revenue: centsToAmount(r.total_revenue),
  total_items_sold: Number(r.total_items_sold),
  return_rate: Number(r.return_rate),
  unique_customers: Number(r.unique_customers),
});

export const rowToCategoryKpi = (r: Row): CategoryKpi => ({
  category: String(r.category),
  order_date: String(r.order_date),
  daily_revenue: centsToAmount(r.daily_revenue),
  avg_order_value: centsToAmount(r.avg_order_value),
  avg_return_rate: Number(r.avg_return_rate),
});

export const orderKpiToRow = (k: OrderKpi): Row => ({
  ...k,
  total_revenue: amountToCents(k.total_revenue),
});

export const categoryKpiToRow = (k: CategoryKpi): Row => ({
  ...k,
  daily_revenue: amountToCents(k.daily_revenue),
  avg_order_value: amountToCents(k.avg_order_value),
});
