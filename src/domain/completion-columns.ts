// Completed orders as columns: what the reference index returns from a landing and what a group
// manifest holds. A 1M-item group names ~2.3M staged rows (its items, its orders, their
// products); as one object per row location (OrderCompletion) that was ~400 MB of heap in
// register and again in every workflow stage that read the manifest. Here an order is one entry
// of a few flat columns, its items and products are ranges of typed location columns (the
// content hash as two 32-bit words, location-columns.ts), and each distinct (raw file, staged
// file) pair is listed once. OrderCompletion (the decider's shape) stays the readable form:
// completionColumnsOf and completionsOf convert exactly both ways.
import type { OrderCompletion, RowLocation } from './order-completion.types.js';
import {
  LocationColumnsBuilder,
  hashAt,
  locationCount,
  type LocationColumns,
} from './location-columns.js';
import {
  decodeLocationColumns,
  liftHashArrays,
  locationColumnsJson,
  locationColumnsJsonBytes,
  type LiftedHashes,
} from './location-columns.codec.js';
import { jsonArrayBytes } from './json-bytes-writer.js';

export type { LocationColumns } from './location-columns.js';

export interface CompletionColumns {
  /** [raw file key, staged key] of every file a location names, each pair once */
  readonly files: readonly (readonly [key: string, stagedKey: string])[];
  readonly orderIds: readonly string[];
  readonly fingerprints: readonly string[];
  /** orders.created_at, epoch ms; null where the decider says NaN */
  readonly createdAt: readonly (number | null)[];
  /** the order row of each order */
  readonly orders: LocationColumns;
  /** order i's items are items[itemStart[i], itemStart[i + 1]): one entry more than orders */
  readonly itemStart: readonly number[];
  /** per order sorted by item id */
  readonly items: LocationColumns;
  /** order i's products are products[productStart[i], productStart[i + 1]) */
  readonly productStart: readonly number[];
  /** per order distinct and sorted by product id */
  readonly products: LocationColumns;
}

export const completionCount = (c: CompletionColumns): number => c.orderIds.length;

/**
 * Orders of one part of a CompletionColumnsBuilder: its own small arrays; each order's end in
 * the builder's items and products
 */
class Part {
  readonly orderIds: string[] = [];
  readonly fingerprints: string[] = [];
  readonly createdAt: (number | null)[] = [];
  readonly itemEnd: number[] = [];
  readonly productEnd: number[] = [];
}

/**
 * Orders per Part. One builder's arrays for a whole 1M-item landing (401k orders) grow into the
 * old generation, and every young string and number pushed then goes through the write barrier,
 * and the arrays grow by copying; fresh small parts are joined once, at build. The locations go
 * into small typed columns, moved into the whole ones when a part is full and filled again (one
 * set of typed columns per part, kept to the build, was ~27 MB more at the landing's peak RSS).
 * With the register's items text read in place, the JS after its completion query (401k orders)
 * went from 1.9-2.0 to 1.6-1.7 s of CPU (docs/performance.md, "Round 8: register4").
 */
const PART_ORDERS = 8192;

/**
 * Builds CompletionColumns order by order, listing each file once. The location columns it
 * builds live in SharedArrayBuffers: the register's worker posts its answer to the landing's
 * thread while it still reads them for the landing record, and shared they cross without a copy
 * (3M items: ~86 MB, which the answer's clone and the landing thread's copy each held at the
 * landing's peak RSS; docs/performance.md, "Round 10: mem3m"). Nothing writes them once built.
 */
export class CompletionColumnsBuilder {
  private readonly files: [string, string][] = [];
  private readonly fileIndex = new Map<string, Map<string, number>>();
  private readonly parts: Part[] = [];
  private part = new Part();
  private readonly orders = new LocationColumnsBuilder();
  private readonly items = new LocationColumnsBuilder();
  private readonly products = new LocationColumnsBuilder();
  /** the part's locations, moved to the whole columns when it is full, then filled again */
  private readonly partOrders = new LocationColumnsBuilder(PART_ORDERS);
  private readonly partItems = new LocationColumnsBuilder(4 * PART_ORDERS);
  private readonly partProducts = new LocationColumnsBuilder(4 * PART_ORDERS);
  private open = false;

  /** the index of a (key, stagedKey) pair, added on first use */
  file(key: string, stagedKey: string): number {
    let byStaged = this.fileIndex.get(key);
    if (byStaged === undefined) this.fileIndex.set(key, (byStaged = new Map()));
    let i = byStaged.get(stagedKey);
    if (i === undefined) {
      i = this.files.push([key, stagedKey]) - 1;
      byStaged.set(stagedKey, i);
    }
    return i;
  }

  /** starts an order; its items and products follow (addItem, addProduct) */
  order(orderId: string, fingerprint: string, createdAt: number, file: number, hash: string): this {
    this.close();
    let p = this.part;
    if (p.orderIds.length === PART_ORDERS) {
      this.flush();
      this.parts.push(p);
      this.part = p = new Part();
    }
    p.orderIds.push(orderId);
    p.fingerprints.push(fingerprint);
    p.createdAt.push(Number.isFinite(createdAt) ? createdAt : null);
    this.partOrders.add(file, hash);
    this.open = true;
    return this;
  }

  /** an item of the open order; `hash` as text (16 hex digits; any other text is kept as is) */
  item(file: number, hash: string): this {
    this.partItems.add(file, hash);
    return this;
  }

  /** an item of the open order, its hash as the two words hexOfWords spells (hi first) */
  itemWords(file: number, hi: number, lo: number): this {
    this.partItems.addWords(file, hi, lo);
    return this;
  }

  product(file: number, hash: string): this {
    this.partProducts.add(file, hash);
    return this;
  }

  productWords(file: number, hi: number, lo: number): this {
    this.partProducts.addWords(file, hi, lo);
    return this;
  }

  /** one whole OrderCompletion */
  add(o: OrderCompletion): this {
    const at = (l: RowLocation): number => this.file(l.key, l.stagedKey);
    this.order(o.orderId, o.fingerprint, o.createdAt, at(o.order), o.order.hash);
    for (const l of o.items) this.item(at(l), l.hash);
    for (const l of o.products) this.product(at(l), l.hash);
    return this;
  }

  build(): CompletionColumns {
    this.close();
    this.flush();
    const parts = [...this.parts, this.part];
    let orders = 0;
    for (const p of parts) orders += p.orderIds.length;
    // one array of its final length, written in place (pushing 400k offsets grew it step by step)
    const starts = (of: (p: Part) => number[]): number[] => {
      const out = new Array<number>(orders + 1).fill(0);
      let at = 1;
      for (const p of parts) for (const end of of(p)) out[at++] = end;
      return out;
    };
    return {
      files: this.files,
      orderIds: ([] as string[]).concat(...parts.map((p) => p.orderIds)),
      fingerprints: ([] as string[]).concat(...parts.map((p) => p.fingerprints)),
      createdAt: ([] as (number | null)[]).concat(...parts.map((p) => p.createdAt)),
      orders: this.orders.build(true),
      itemStart: starts((p) => p.itemEnd),
      items: this.items.build(true),
      productStart: starts((p) => p.productEnd),
      products: this.products.build(true),
    };
  }

  private close(): void {
    if (!this.open) return;
    this.part.itemEnd.push(this.items.size + this.partItems.size);
    this.part.productEnd.push(this.products.size + this.partProducts.size);
    this.open = false;
  }

  private flush(): void {
    this.orders.take(this.partOrders);
    this.items.take(this.partItems);
    this.products.take(this.partProducts);
  }
}

export const completionColumnsOf = (orders: readonly OrderCompletion[]): CompletionColumns => {
  const b = new CompletionColumnsBuilder();
  for (const o of orders) b.add(o);
  return b.build();
};

/** The orders spelled out (the decider's shape): for tests and small answers, not big groups. */
export const completionsOf = (c: CompletionColumns): OrderCompletion[] => {
  const files = c.files.map(([key, stagedKey]) => ({ key, stagedKey }));
  const at = (cols: LocationColumns, j: number): RowLocation => {
    const f = files[cols.file[j] as number] as { key: string; stagedKey: string };
    return { key: f.key, stagedKey: f.stagedKey, hash: hashAt(cols, j) };
  };
  const range = (cols: LocationColumns, start: readonly number[], i: number): RowLocation[] => {
    const out: RowLocation[] = [];
    for (let j = start[i] as number; j < (start[i + 1] as number); j++) out.push(at(cols, j));
    return out;
  };
  return c.orderIds.map((orderId, i) => ({
    orderId,
    fingerprint: c.fingerprints[i] as string,
    createdAt: c.createdAt[i] ?? Number.NaN,
    order: at(c.orders, i),
    items: range(c.items, c.itemStart, i),
    products: range(c.products, c.productStart, i),
  }));
};

/**
 * JSON.stringify(c) as it was when hashes were strings (older readers still read it): the
 * readable form, one string. The manifest is written from completionColumnsJsonBytes, the same
 * text as UTF-8 in parts.
 */
export const completionColumnsJson = (c: CompletionColumns): string =>
  `{"files":${JSON.stringify(c.files)},"orderIds":${JSON.stringify(c.orderIds)},` +
  `"fingerprints":${JSON.stringify(c.fingerprints)},"createdAt":${JSON.stringify(c.createdAt)},` +
  `"orders":${locationColumnsJson(c.orders)},"itemStart":${JSON.stringify(c.itemStart)},` +
  `"items":${locationColumnsJson(c.items)},"productStart":${JSON.stringify(c.productStart)},` +
  `"products":${locationColumnsJson(c.products)}}`;

/**
 * completionColumnsJson's text as pieces: text, arrays (written as JSON.stringify writes them)
 * or location columns written where they stand
 */
function* columnsJsonPieces(
  c: CompletionColumns,
): Generator<string | readonly unknown[] | LocationColumns> {
  yield `{"files":${JSON.stringify(c.files)},"orderIds":`;
  yield c.orderIds;
  yield ',"fingerprints":';
  yield c.fingerprints;
  yield ',"createdAt":';
  yield c.createdAt;
  yield ',"orders":';
  yield c.orders;
  yield ',"itemStart":';
  yield c.itemStart;
  yield ',"items":';
  yield c.items;
  yield ',"productStart":';
  yield c.productStart;
  yield ',"products":';
  yield c.products;
  yield '}';
}

/**
 * completionColumnsJson's text as UTF-8 bytes in parts made one at a time (their concatenation
 * is its UTF-8): at 3M items the whole is ~200 MB, written to the manifest without ever being one
 * string. Each text piece ends between JSON values, so it encodes on its own; the arrays are
 * written straight into bytes (jsonArrayBytes) and the hashes straight from their words
 * (locationColumnsJsonBytes).
 */
export function* completionColumnsJsonBytes(c: CompletionColumns): Generator<Uint8Array> {
  const utf8 = new TextEncoder();
  for (const piece of columnsJsonPieces(c))
    if (typeof piece === 'string') yield utf8.encode(piece);
    else if (Array.isArray(piece)) yield* jsonArrayBytes(piece);
    else yield* locationColumnsJsonBytes(piece as LocationColumns);
}

const isArrayOf = (u: unknown, check: (x: unknown) => boolean): u is unknown[] => {
  if (!Array.isArray(u)) return false;
  for (const x of u) if (!check(x)) return false;
  return true;
};
const isString = (x: unknown): boolean => typeof x === 'string';
const isIndex = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 0;

type Decoded = CompletionColumns | string;

/** `u` as CompletionColumns, or why it is not (checked by plain loops: it may hold millions of
 *  entries; the hashes are turned into words as they are checked) */
const decodeOf = (u: unknown, lifted: readonly LiftedHashes[]): Decoded => {
  if (typeof u !== 'object' || u === null) return 'not an object';
  const c = u as Record<string, unknown>;
  if (!isArrayOf(c.files, (f) => isArrayOf(f, isString) && (f as unknown[]).length === 2))
    return 'files must be [key, stagedKey] pairs';
  const n = (c.orderIds as unknown[] | undefined)?.length ?? -1;
  if (!isArrayOf(c.orderIds, isString)) return 'orderIds must be strings';
  if (!isArrayOf(c.fingerprints, isString) || c.fingerprints.length !== n)
    return 'fingerprints must be one string per order';
  if (!isArrayOf(c.createdAt, (x) => x === null || Number.isFinite(x)) || c.createdAt.length !== n)
    return 'createdAt must be one number or null per order';
  const fileCount = (c.files as unknown[]).length;
  const located: Record<string, LocationColumns> = {};
  // lifted hash arrays come in the order they are written: orders, items, products
  if (lifted.length !== 0 && lifted.length !== 3) return 'hash must be three arrays of strings';
  for (const [index, name] of ['orders', 'items', 'products'].entries()) {
    const hashes = lifted[index];
    const l = decodeLocationColumns(
      c[name],
      fileCount,
      hashes === undefined ? undefined : { hashes, index },
    );
    if (l === null || (name === 'orders' && locationCount(l) !== n))
      return `${name} must be {file, hash} columns naming listed files`;
    located[name] = l;
  }
  const starts = (name: string, of: string): string | null => {
    const s = c[name];
    const total = locationCount(located[of] as LocationColumns);
    if (!isArrayOf(s, isIndex) || s.length !== n + 1 || s[0] !== 0 || s[n] !== total)
      return `${name} must hold ${n + 1} offsets from 0 to ${total}`;
    for (let i = 1; i <= n; i++) {
      if ((s[i] as number) < (s[i - 1] as number)) return `${name} must not decrease`;
    }
    return null;
  };
  const problem = starts('itemStart', 'items') ?? starts('productStart', 'products');
  if (problem !== null) return problem;
  return {
    files: c.files as CompletionColumns['files'],
    orderIds: c.orderIds as string[],
    fingerprints: c.fingerprints as string[],
    createdAt: c.createdAt as (number | null)[],
    orders: located.orders as LocationColumns,
    itemStart: c.itemStart as number[],
    items: located.items as LocationColumns,
    productStart: c.productStart as number[],
    products: located.products as LocationColumns,
  };
};

/**
 * the parsed JSON of completionColumnsJson, checked; an Error names what is wrong. `lifted`:
 * the hashes liftHashArrays took out of the text before it was parsed (parseJsonLifted)
 */
export const decodeCompletionColumns = (
  u: unknown,
  lifted: readonly LiftedHashes[] = [],
): CompletionColumns | Error => {
  const decoded = decodeOf(u, lifted);
  return typeof decoded === 'string' ? new Error(`completions: ${decoded}`) : decoded;
};

/**
 * JSON.parse of a text holding completion columns (a manifest, a landing record), their hash
 * arrays parsed straight into words: pass `lifted` on to decodeCompletionColumns. Throws what
 * JSON.parse throws.
 */
export const parseJsonLifted = (text: string): { json: unknown; lifted: LiftedHashes[] } => {
  const lift = liftHashArrays(text);
  if (lift === null) return { json: JSON.parse(text), lifted: [] };
  return { json: JSON.parse(lift.text), lifted: lift.hashes };
};

/** completionColumnsJson's text read back (an Error names what is wrong) */
export const completionColumnsFromJson = (text: string): CompletionColumns | Error => {
  try {
    const { json, lifted } = parseJsonLifted(text);
    return decodeCompletionColumns(json, lifted);
  } catch (error) {
    return new Error(`completions: not JSON: ${String(error)}`);
  }
};
