// Facts as columns: what crosses the FactStore and AnalyticsTables ports. A big group has 10^6
// facts; as columns they are eight arrays (the strings shared with the staged rows they came
// from) instead of 10^6 objects, so the transform's heap holds no per-fact object.
import { utcDate, utcDayNumber } from '../dates.js';
import type { Fact } from './kpi.types.js';
import { lastVersions } from './last-versions.js';

export interface FactColumns {
  readonly length: number;
  readonly itemId: readonly string[];
  readonly orderId: readonly string[];
  readonly userId: readonly string[];
  /** lower-case order status */
  readonly orderStatus: readonly string[];
  /** orders.created_at, UTC epoch ms */
  readonly orderCreatedAt: Float64Array;
  readonly productId: readonly string[];
  /** null when the product has no category */
  readonly category: readonly (string | null)[];
  /**
   * integer cents. A plain array, not Int32Array: an amount may have 13 integer digits, beyond
   * 32 bits; V8 keeps whole numbers in it exactly (safe integers), no arithmetic happens here.
   */
  readonly salePriceCents: readonly number[];
}

export const NO_FACT_COLUMNS: FactColumns = {
  length: 0,
  itemId: [],
  orderId: [],
  userId: [],
  orderStatus: [],
  orderCreatedAt: new Float64Array(0),
  productId: [],
  category: [],
  salePriceCents: [],
};

/**
 * Fact columns filled row by row (arrays sized once, for the group's item count); build() keeps
 * one row per item id: a repeated item keeps its first position and its last version's values.
 */
export class FactColumnsBuilder {
  private length = 0;
  private readonly itemId: string[];
  private readonly orderId: string[];
  private readonly userId: string[];
  private readonly orderStatus: string[];
  private readonly orderCreatedAt: Float64Array;
  private readonly productId: string[];
  private readonly category: (string | null)[];
  private readonly salePriceCents: number[];

  /** capacity: at most this many rows (a group's item count) */
  constructor(capacity: number) {
    this.itemId = new Array<string>(capacity);
    this.orderId = new Array<string>(capacity);
    this.userId = new Array<string>(capacity);
    this.orderStatus = new Array<string>(capacity);
    this.orderCreatedAt = new Float64Array(capacity);
    this.productId = new Array<string>(capacity);
    this.category = new Array<string | null>(capacity);
    this.salePriceCents = new Array<number>(capacity);
  }

  push(
    itemId: string,
    orderId: string,
    userId: string,
    orderStatus: string,
    orderCreatedAt: number,
    productId: string,
    category: string | null,
    cents: number,
  ): void {
    const row = this.length++;
    this.itemId[row] = itemId;
    this.orderId[row] = orderId;
    this.userId[row] = userId;
    this.orderStatus[row] = orderStatus;
    this.orderCreatedAt[row] = orderCreatedAt;
    this.productId[row] = productId;
    this.category[row] = category;
    this.salePriceCents[row] = cents;
  }

  build(): FactColumns {
    const source = lastVersions(this.itemId, this.length);
    let length = this.length;
    if (source !== null) {
      // in place: a row is written at or before its own position and reads a row at or after
      // it (a key's last version comes later), which is not written yet
      length = 0;
      for (let r = 0; r < this.length; r++) {
        const from = source[r] as number;
        if (from >= 0) this.copy(from, length++);
      }
    }
    for (const list of [this.itemId, this.orderId, this.userId, this.orderStatus])
      list.length = length;
    for (const list of [this.productId, this.category, this.salePriceCents]) list.length = length;
    const at = this.orderCreatedAt;
    return {
      length,
      itemId: this.itemId,
      orderId: this.orderId,
      userId: this.userId,
      orderStatus: this.orderStatus,
      orderCreatedAt: length === at.length ? at : at.slice(0, length),
      productId: this.productId,
      category: this.category,
      salePriceCents: this.salePriceCents,
    };
  }

  private copy(from: number, to: number): void {
    if (from === to) return;
    this.itemId[to] = this.itemId[from] as string;
    this.orderId[to] = this.orderId[from] as string;
    this.userId[to] = this.userId[from] as string;
    this.orderStatus[to] = this.orderStatus[from] as string;
    this.orderCreatedAt[to] = this.orderCreatedAt[from] as number;
    this.productId[to] = this.productId[from] as string;
    this.category[to] = this.category[from] ?? null;
    this.salePriceCents[to] = this.salePriceCents[from] as number;
  }
}

/** the fact in row `i` (small paths: tests, per-order adapters) */
export const factAt = (c: FactColumns, i: number): Fact => ({
  itemId: c.itemId[i] as string,
  orderId: c.orderId[i] as string,
  userId: c.userId[i] as string,
  orderStatus: c.orderStatus[i] as string,
  orderCreatedAt: c.orderCreatedAt[i] as number,
  productId: c.productId[i] as string,
  category: c.category[i] ?? null,
  salePriceCents: c.salePriceCents[i] as number,
});

/** every row as a Fact, in order */
export const factsOf = (c: FactColumns): Fact[] =>
  Array.from({ length: c.length }, (_, i) => factAt(c, i));

/** facts as columns, in order */
export const factColumnsOf = (facts: readonly Fact[]): FactColumns => ({
  length: facts.length,
  itemId: facts.map((f) => f.itemId),
  orderId: facts.map((f) => f.orderId),
  userId: facts.map((f) => f.userId),
  orderStatus: facts.map((f) => f.orderStatus),
  orderCreatedAt: Float64Array.from(facts, (f) => f.orderCreatedAt),
  productId: facts.map((f) => f.productId),
  category: facts.map((f) => f.category),
  salePriceCents: facts.map((f) => f.salePriceCents),
});

/**
 * The distinct UTC dates (YYYY-MM-DD) of the facts, sorted: one division per fact, one date
 * text per distinct day. An invalid time throws (utcDate), as dating each fact did.
 */
export const factDates = (c: FactColumns): string[] => {
  const firstOfDay = new Map<number, number>();
  for (let i = 0; i < c.length; i++) {
    const at = c.orderCreatedAt[i] as number;
    const day = utcDayNumber(at);
    if (!firstOfDay.has(day)) firstOfDay.set(day, at);
  }
  return [...firstOfDay.values()].map(utcDate).sort();
};
