// An order_items landing's own rows as the register's worker keeps them, batch by batch, so that
// the completion of an order the landing alone gives items to is read from them at register,
// not from ri_items by the completion query: at 1M items that query stepped ~2.5-3.5 s of the
// worker's ~4 s tail, where the main thread waits (docs/performance.md, "Round 13: tail8").
// Which orders those are is SqliteReferenceIndex's to say (its TEMP table t_sql holds the
// others); this keeps the rows and answers, per order, its items as the decider orders them.
// Compact: ids as their keys (idKey) in typed columns where they are canonical integers (12
// bytes an item with its hash's words, which stay the batch's own array), in plain arrays of
// keys otherwise; the id strings of the batch are not kept.
import { hashWordsOf } from '../../domain/location-columns.js';
import { mappedBuffer, releaseBuffer } from '../../domain/mapped-buffer.js';
import { idKey, idText, type IdKey } from './sqlite-id-key.js';

/** ids as their keys: typed where every id of the batch is a canonical integer */
export type KeyColumn = Uint32Array | Float64Array | IdKey[];

const U32_MAX = 0xffffffff;

/** whether a key column is typed (its keys all integers), not an array of keys */
export const isTypedKeys = (c: KeyColumn | IdColumn): c is Uint32Array | Float64Array =>
  c instanceof Uint32Array || c instanceof Float64Array;

/** makes a column of n elements (KeyColumn's typed forms) */
type Allocate = <T>(
  Type: new (buffer: ArrayBuffer, offset: number, length: number) => T,
  bytesPerElement: number,
  n: number,
) => T;

/**
 * n elements in a resizable buffer (never grown) that `release` shrinks to nothing, which gives
 * its pages back at once: the worker's plain buffers stay resident until a major GC, which need
 * not come before the landing commits, and the landing's ~26 MB of rows at 1M items would add to
 * the run's peak RSS around the answer
 */
const releasable: Allocate = (Type, bytesPerElement, n) =>
  new Type(mappedBuffer(n * bytesPerElement), 0, n);

/** n elements in a plain buffer, which postMessage can transfer */
const plain: Allocate = (Type, bytesPerElement, n) =>
  new Type(new ArrayBuffer(n * bytesPerElement), 0, n);

/** gives a releasable column's memory back (its views are then empty) */
const release = (a: KeyColumn | Int32Array | undefined): void => {
  if (a !== undefined && !Array.isArray(a)) releaseBuffer(a.buffer);
};

/**
 * An id column as a batch gives it: its ids, or already their keys (a KeyColumn: wireKeyColumn
 * made it on the landing's thread). A key is its own key (idKey of a text key is that text), so
 * either form reads the same through keyOf.
 */
export type IdColumn = readonly (string | null)[] | KeyColumn;

/** the key of an id, or of a key (an IdColumn's element) */
export const keyOf = (id: string | number | null | undefined): IdKey =>
  typeof id === 'number' ? id : idKey(id ?? '');

/** the keys of `ids` (keyOf each, null read as ''), in the most compact column that holds them */
export const keyColumn = (ids: IdColumn, allocate: Allocate = releasable): KeyColumn => {
  const n = ids.length;
  if (isTypedKeys(ids)) {
    const copy =
      ids instanceof Uint32Array ? allocate(Uint32Array, 4, n) : allocate(Float64Array, 8, n);
    copy.set(ids);
    return copy;
  }
  let small: Uint32Array | null = allocate(Uint32Array, 4, n);
  let wide: Float64Array | null = null;
  let any: IdKey[] | null = null;
  for (let i = 0; i < n; i++) {
    const k = keyOf(ids[i]);
    if (any !== null) {
      any[i] = k;
    } else if (typeof k === 'number' && small !== null && k <= U32_MAX) {
      small[i] = k;
    } else if (typeof k === 'number' && wide !== null) {
      wide[i] = k;
    } else if (typeof k === 'number') {
      wide = allocate(Float64Array, 8, n);
      wide.set((small as Uint32Array).subarray(0, i));
      small = null;
      wide[i] = k;
    } else {
      const before = (small ?? wide) as Uint32Array | Float64Array;
      any = new Array<IdKey>(n);
      for (let j = 0; j < i; j++) any[j] = before[j] as number;
      small = wide = null;
      any[i] = k;
    }
  }
  return any ?? wide ?? (small as Uint32Array);
};

/**
 * A batch's ids as the keys the worker keeps (keyColumn), made on the landing's thread so they
 * cross as one typed array, transferred, instead of a string cloned per id (1M items: 3M strings,
 * ~0.35 s of CPU on the two threads, docs/performance.md "Round 14: land9")
 */
export const wireKeyColumn = (ids: readonly (string | null)[]): KeyColumn => keyColumn(ids, plain);

/** an items batch's columns (KeyBatch's, or a whole landing's: words, when given, win) */
export interface ItemRows {
  readonly itemIds: IdColumn;
  readonly orderIds: IdColumn;
  readonly productIds: IdColumn;
  readonly hashWords?: Uint32Array | undefined;
  readonly hashes?: readonly (string | null)[] | undefined;
}

/** a copy of `words` that release gives back (the batch's own is garbage, as it was) */
const releasableCopy = (words: Uint32Array): Uint32Array => {
  const copy = releasable(Uint32Array, 4, words.length);
  copy.set(words);
  return copy;
};

/** one batch's rows */
interface Chunk {
  readonly n: number;
  readonly items: KeyColumn;
  readonly orders: KeyColumn;
  readonly products: KeyColumn;
  /** rowHashWords' layout (row r: low word at 2r, high at 2r + 1), when the batch gave words */
  readonly words: Uint32Array | undefined;
  readonly hashes: readonly (string | null)[] | undefined;
}

/** the digits of a canonical integer key */
const digitCount = (v: number): number => {
  let d = 1;
  for (let p = 10; v >= p && d < 17; p *= 10) d++;
  return d;
};

/**
 * the order of two ids' strings (idText) as JS sorts strings, which is the decider's order of an
 * order's items: two integers of as many digits compare as numbers without their strings
 */
export const textOrder = (a: IdKey, b: IdKey): number => {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return 0;
    if (digitCount(a) === digitCount(b)) return a < b ? -1 : 1;
  }
  const x = idText(a);
  const y = idText(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * One order's items, gathered from the landing's rows (LandingItems.gather) into scratch arrays
 * reused order after order, sorted by item id as the decider sorts them
 */
export class OwnItems {
  n = 0;
  itemIds: IdKey[] = [];
  productIds: IdKey[] = [];
  /** each item's hash as its words (hashWordsOf's form), when `words` */
  hi = new Uint32Array(64);
  lo = new Uint32Array(64);
  /**
   * every item's hash is 16 lowercase hex digits, held in hi and lo; else item j's hash is
   * `hashes[j]`, or hexOfWords of its words where that is null (a batch that gave words)
   */
  words = true;
  hashes: (string | null)[] = [];

  reset(): void {
    this.n = 0;
    this.words = true;
  }

  push(itemId: IdKey, productId: IdKey, hi: number, lo: number, hash: string | null): void {
    const j = this.n++;
    if (j === this.hi.length) {
      const [hi0, lo0] = [this.hi, this.lo];
      this.hi = new Uint32Array(2 * j);
      this.lo = new Uint32Array(2 * j);
      this.hi.set(hi0);
      this.lo.set(lo0);
    }
    this.itemIds[j] = itemId;
    this.productIds[j] = productId;
    this.hi[j] = hi;
    this.lo[j] = lo;
    this.hashes[j] = hash;
    if (hi < 0) this.words = false;
  }

  /** insertion sort by item id (an order has a few items, usually in order already) */
  sort(): void {
    const { itemIds, productIds, hi, lo, hashes } = this;
    for (let j = 1; j < this.n; j++) {
      const id = itemIds[j] as IdKey;
      if (textOrder(itemIds[j - 1] as IdKey, id) <= 0) continue;
      const [p, h, l, t] = [productIds[j] as IdKey, hi[j] as number, lo[j] as number, hashes[j]];
      let k = j - 1;
      for (; k >= 0 && textOrder(itemIds[k] as IdKey, id) > 0; k--) {
        itemIds[k + 1] = itemIds[k] as IdKey;
        productIds[k + 1] = productIds[k] as IdKey;
        hi[k + 1] = hi[k] as number;
        lo[k + 1] = lo[k] as number;
        hashes[k + 1] = hashes[k] ?? null;
      }
      itemIds[k + 1] = id;
      productIds[k + 1] = p;
      hi[k + 1] = h;
      lo[k + 1] = l;
      hashes[k + 1] = t ?? null;
    }
  }
}

/**
 * The rows of an order_items landing, batch by batch (add), then read by order (groups, gather).
 */
export class LandingItems {
  private readonly chunks: Chunk[] = [];
  /** runs of consecutive rows of one order in a batch: chunk, [start, end), the order's next run */
  private runChunk = new Int32Array(0);
  private runStart = new Int32Array(0);
  private runEnd = new Int32Array(0);
  private runNext = new Int32Array(0);
  /** an order's key -> its first run (unless `ascending`) */
  private readonly firstRun = new Map<IdKey, number>();
  /**
   * every run's order key a number, each greater than the last (a file of orders' items in
   * order, as the sample shop and most exports write them): each order is one run, found by a
   * cursor as gather is asked in key order, without a Map of the ~400k orders of 1M items
   */
  private ascending = false;
  private cursor = 0;
  private grouped = false;

  /** keeps the batch's rows; returns their key columns (for the TEMP rows' insert) */
  add(keys: ItemRows): Chunk {
    const chunk: Chunk = {
      n: keys.itemIds.length,
      items: keyColumn(keys.itemIds),
      orders: keyColumn(keys.orderIds),
      products: keyColumn(keys.productIds),
      words: keys.hashWords === undefined ? undefined : releasableCopy(keys.hashWords),
      hashes: keys.hashWords === undefined ? keys.hashes : undefined,
    };
    this.chunks.push(chunk);
    this.grouped = false;
    return chunk;
  }

  /**
   * The orders with an item id that more than one row of the landing names (the last row of an
   * id wins, in ri_items: such orders are left to the completion query). Usually none: a file's
   * item ids are unique (unique.key), and ascending ids are told so without a sort.
   */
  duplicateOrders(): IdKey[] {
    const { chunks } = this;
    let total = 0;
    let typed = true;
    for (const c of chunks) {
      total += c.n;
      if (Array.isArray(c.items)) typed = false;
    }
    const repeated = new Set<IdKey>();
    if (typed) {
      let ascending = true;
      let last = -1;
      for (const c of chunks) {
        const items = c.items as Uint32Array | Float64Array;
        for (let i = 0; i < c.n && ascending; i++) {
          const v = items[i] as number;
          if (v <= last) ascending = false;
          last = v;
        }
      }
      if (ascending) return [];
      const all = new Float64Array(total);
      let at = 0;
      for (const c of chunks) {
        all.set(c.items as Uint32Array | Float64Array, at);
        at += c.n;
      }
      all.sort();
      for (let i = 1; i < total; i++) if (all[i] === all[i - 1]) repeated.add(all[i] as number);
    } else {
      const seen = new Set<IdKey>();
      for (const c of chunks)
        for (let i = 0; i < c.n; i++) {
          const k = c.items[i] as IdKey;
          if (seen.has(k)) repeated.add(k);
          else seen.add(k);
        }
    }
    if (repeated.size === 0) return [];
    const orders = new Set<IdKey>();
    for (const c of chunks)
      for (let i = 0; i < c.n; i++)
        if (repeated.has(c.items[i] as IdKey)) orders.add(c.orders[i] as IdKey);
    return [...orders];
  }

  /**
   * The order's rows into `into`, sorted by item id; false when no row names the order. Each
   * row is taken as it is: call it for orders none of whose item ids another row names, in the
   * index tables' key order (integers by value, before text).
   */
  gather(orderKey: IdKey, into: OwnItems): boolean {
    this.group();
    let run = this.ascending ? this.runAt(orderKey) : (this.firstRun.get(orderKey) ?? -1);
    if (run < 0) return false;
    into.reset();
    const { chunks, runChunk, runStart, runEnd, runNext } = this;
    for (; run >= 0; run = runNext[run] as number) {
      const c = chunks[runChunk[run] as number] as Chunk;
      const { items, products, words, hashes } = c;
      for (let i = runStart[run] as number, end = runEnd[run] as number; i < end; i++) {
        if (words !== undefined)
          into.push(
            items[i] as IdKey,
            products[i] as IdKey,
            words[2 * i + 1] as number,
            words[2 * i] as number,
            null,
          );
        else {
          const hash = hashes?.[i] ?? '';
          const [hi, lo] = hashWordsOf(hash);
          into.push(items[i] as IdKey, products[i] as IdKey, hi, lo, hash);
        }
      }
    }
    into.sort();
    return true;
  }

  /** gives the rows' memory back: nothing is read after */
  release(): void {
    for (const c of this.chunks) {
      release(c.items);
      release(c.orders);
      release(c.products);
      release(c.words);
    }
    this.chunks.length = 0;
    for (const runs of [this.runChunk, this.runStart, this.runEnd, this.runNext]) release(runs);
    this.firstRun.clear();
  }

  /** the run of `orderKey` by the cursor (ascending), or -1 */
  private runAt(orderKey: IdKey): number {
    if (typeof orderKey !== 'number') return -1;
    const { runChunk, runStart, chunks } = this;
    const keyOf = (r: number): number =>
      (chunks[runChunk[r] as number] as Chunk).orders[runStart[r] as number] as number;
    let r = this.cursor;
    while (r < runChunk.length && keyOf(r) < orderKey) r++;
    this.cursor = r;
    return r < runChunk.length && keyOf(r) === orderKey ? r : -1;
  }

  /** the runs of consecutive rows of one order, chained per order, once after the last add */
  private group(): void {
    if (this.grouped) return;
    this.grouped = true;
    const { chunks, firstRun } = this;
    let runs = 0;
    for (const c of chunks) {
      const orders = c.orders;
      for (let i = 0; i < c.n; i++) if (i === 0 || orders[i] !== orders[i - 1]) runs++;
    }
    this.runChunk = releasable(Int32Array, 4, runs);
    this.runStart = releasable(Int32Array, 4, runs);
    this.runEnd = releasable(Int32Array, 4, runs);
    this.runNext = releasable(Int32Array, 4, runs);
    const { runChunk, runStart, runEnd } = this;
    let r = -1;
    chunks.forEach((c, ci) => {
      const orders = c.orders;
      for (let i = 0; i < c.n; i++) {
        if (i === 0 || orders[i] !== orders[i - 1]) {
          r++;
          runChunk[r] = ci;
          runStart[r] = i;
        }
        runEnd[r] = i + 1;
      }
    });
    firstRun.clear();
    const { runNext } = this;
    runNext.fill(-1);
    this.cursor = 0;
    let last = -1;
    this.ascending = true;
    for (let k = 0; k < runs && this.ascending; k++) {
      const key = (chunks[runChunk[k] as number] as Chunk).orders[runStart[k] as number];
      this.ascending = typeof key === 'number' && key > last;
      last = key as number;
    }
    if (this.ascending) return;
    // chained from the last run back, so each order's runs are in file order
    for (let k = runs - 1; k >= 0; k--) {
      const c = chunks[runChunk[k] as number] as Chunk;
      const key = c.orders[runStart[k] as number] as IdKey;
      runNext[k] = firstRun.get(key) ?? -1;
      firstRun.set(key, k);
    }
  }
}
