// The data of order completion: landed rows, the per-order state, and the completion
// decider's commands and events. Plain data only.

interface LandedBase {
  readonly fileKey: string;
  readonly stagedKey: string;
  readonly hashes: readonly string[];
}

/** One landed file's keys (the shape of the reference-index port's LandingKeys). */
export type LandedRows =
  | (LandedBase & {
      readonly dataset: 'orders';
      readonly orderIds: readonly string[];
      readonly numOfItems: ArrayLike<number>;
      readonly createdAt: ArrayLike<number>;
    })
  | (LandedBase & {
      readonly dataset: 'order_items';
      readonly itemIds: readonly string[];
      readonly orderIds: readonly string[];
      readonly productIds: readonly string[];
    })
  | (LandedBase & { readonly dataset: 'products'; readonly productIds: readonly string[] });

export interface RowLocation {
  readonly key: string;
  readonly stagedKey: string;
  readonly hash: string;
}
export interface OrderRow extends RowLocation {
  /** NaN when num_of_item is null: such an order never completes */
  readonly numOfItems: number;
  readonly createdAt: number;
}
export interface ItemRow extends RowLocation {
  readonly orderId: string;
  readonly productId: string;
}

export interface OrderState {
  readonly firstSeenAt: number;
  readonly row: OrderRow | null;
  readonly itemIds: ReadonlySet<string>;
  /**
   * fingerprint of the last reported completion, null before the first: the order is reported
   * again when its content differs from this one (A, B, A reports three times)
   */
  readonly lastCompleted: string | null;
}

/** All of it, or the slice a landing can touch (its orders, their items, their products). */
export interface CompletionState {
  readonly orders: ReadonlyMap<string, OrderState>;
  readonly items: ReadonlyMap<string, ItemRow>;
  readonly products: ReadonlyMap<string, RowLocation>;
}

export interface OrderCompletion {
  readonly orderId: string;
  /** of the order row's and its items' content: a new value means a new version */
  readonly fingerprint: string;
  readonly createdAt: number;
  readonly order: RowLocation;
  /** sorted by item id */
  readonly items: readonly RowLocation[];
  /** distinct, sorted by product id */
  readonly products: readonly RowLocation[];
}

export type CompletionCommand = {
  readonly type: 'LandRows';
  readonly rows: LandedRows;
  readonly now: number;
};
export type CompletionEvent =
  | { readonly type: 'RowsLanded'; readonly rows: LandedRows; readonly now: number }
  | { readonly type: 'OrderCompleted'; readonly completion: OrderCompletion };
