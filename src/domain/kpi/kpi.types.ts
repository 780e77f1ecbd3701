// KPI rows as stored and printed. Field names follow the spec (snake_case) on purpose: they are
// the public names in DynamoDB, Delta tables and `kpis --json`.

/** One item of a processed order, joined to its order and product. */
export interface Fact {
  readonly itemId: string;
  readonly orderId: string;
  readonly userId: string;
  /** lower-case order status */
  readonly orderStatus: string;
  /** orders.created_at, UTC epoch ms */
  readonly orderCreatedAt: number;
  readonly productId: string;
  /** null when the product has no category */
  readonly category: string | null;
  /** integer minor units (cents) */
  readonly salePriceCents: number;
}

export interface OrderKpi {
  readonly order_date: string;
  readonly total_orders: number;
  /** 2 decimals */
  readonly total_revenue: number;
  readonly total_items_sold: number;
  /** fraction in [0, 1] */
  readonly return_rate: number;
  readonly unique_customers: number;
}

export interface CategoryKpi {
  readonly category: string;
  readonly order_date: string;
  /** 2 decimals */
  readonly daily_revenue: number;
  /** 2 decimals */
  readonly avg_order_value: number;
  /** fraction in [0, 1] */
  readonly avg_return_rate: number;
}

export interface KpiSet {
  /** sorted by order_date */
  readonly order: readonly OrderKpi[];
  /** sorted by order_date, then category */
  readonly category: readonly CategoryKpi[];
}

/**
 * The exact integer totals the KPIs of a day are derived from: what the stores keep and
 * aggregate (money in cents, rates as counts). KpiSet is their reported form (kpisFromTotals).
 */
export interface DayTotals {
  /** YYYY-MM-DD */
  readonly date: string;
  readonly orders: number;
  readonly items: number;
  readonly revenueCents: bigint;
  readonly returnedOrders: number;
  readonly customers: number;
}

export interface CategoryTotals {
  readonly category: string;
  /** YYYY-MM-DD */
  readonly date: string;
  readonly revenueCents: bigint;
  /** distinct orders with an item of this category that day */
  readonly orders: number;
  readonly returnedOrders: number;
}

export interface KpiTotals {
  /** sorted by date */
  readonly days: readonly DayTotals[];
  /** sorted by date, then category (UTF-16 code units) */
  readonly categories: readonly CategoryTotals[];
}
