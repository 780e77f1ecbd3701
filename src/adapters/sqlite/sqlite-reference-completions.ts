// Turning the completion query's rows (one per touched order; for one with its order row and
// num_of_items items, one text: its items' count, sources, hashes as one string of hex digits and
// product ids, CompletionRow) into completion columns: an order is complete when every product it names
// has landed too, and is reported when its fingerprint changed. Built exactly as the decider's completionOf:
// items sorted by id, products distinct and sorted by id (here, in JS: the decider's own order),
// the fingerprint of the order row's hash and the sorted item hashes (from the hashes' words,
// order-fingerprint.ts). No object per order or row location, and no string per item hash: the
// words go straight into the columns, and a product's location is read once per landing.
import type { CompletionColumnsBuilder } from '../../domain/completion-columns.js';
import { fingerprint } from '../../domain/fingerprint.js';
import { anyCaseHexWord, hexOfWords } from '../../domain/hex-words.js';
import { hashWordsOf } from '../../domain/location-columns.js';
import { orderFingerprintOfWords } from '../../domain/order-fingerprint.js';
import { idKey, idText, keyAt, type IdKey } from './sqlite-id-key.js';
import type { OwnItems } from './sqlite-reference-landing-items.js';
import {
  ITEMS_SEPARATOR,
  type CompletionRow,
  type OwnOrderRow,
  type Statements,
} from './sqlite-reference-statements.js';

/** a source id (ri_sources) -> its index in the builder's files, looked up once per source */
export type FileOf = (source: number) => number;
/**
 * a landed product's location: its hash also as its two words (hashWordsOf, as
 * LocationColumnsBuilder.add reads it: hi -1 when it is not 16 lowercase hex digits), so the
 * ~1M locations a 1M-item landing names are not each read from hex again
 */
export interface ProductRow {
  /** the product id as given (idText), which orders an order's products */
  readonly id: string;
  readonly source: number;
  readonly hash: string;
  readonly hi: number;
  readonly lo: number;
}
/**
 * a product id, or its key (idKey: a canonical integer id may be given as its number, so the
 * items text's product ids need not each be cut into a string) -> its row, or undefined when it
 * has not landed; one row object per product
 */
export type ProductAt = (productId: IdKey) => ProductRow | undefined;

/** [id, hash, source, product id] of an item */
export type IdentifiedRow = [id: string, hash: string, source: number, productId: string];
/** an order's items with their ids (read only when SQLite's order may differ from JS's) */
export type ItemsWithIds = (orderId: IdKey) => IdentifiedRow[];

const byId = (a: IdentifiedRow, b: IdentifiedRow): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

export interface CompletionSources {
  readonly fileOf: FileOf;
  readonly productAt: ProductAt;
  readonly itemsWithIds: ItemsWithIds;
}

/**
 * Where the rows of a landing's answer are: a source's (file key, staged key) and a product's
 * hash and source are read once per landing, then shared by every order naming them.
 */
export function completionSources(
  s: Statements,
  into: CompletionColumnsBuilder,
): CompletionSources {
  const files = new Map<number, number>();
  const fileOf = (source: number): number => {
    let i = files.get(source);
    if (i === undefined) {
      const row = s.sourceById.get(source);
      i = into.file(row?.file_key ?? '', row?.staged_key ?? '');
      files.set(source, i);
    }
    return i;
  };
  // the source, not yet the file index: a file is listed only once a reported order names it
  // by key (idKey), so an id given as its string or as its number finds the same row object
  const products = new Map<IdKey, ProductRow | undefined>();
  return {
    fileOf,
    productAt: (id) => {
      const key = typeof id === 'string' ? idKey(id) : id;
      let at = products.get(key);
      if (at === undefined && !products.has(key)) {
        const row = s.product.get(key);
        at = row === undefined ? undefined : productRow(idText(key), row.source, row.hash);
        products.set(key, at);
      }
      return at;
    },
    // the ids as the strings they were given (idText), to be sorted as JS sorts them
    itemsWithIds: (orderId) =>
      s.itemsWithIds
        .all(orderId)
        .map(([id, hash, source, productId]) => [idText(id), hash, source, idText(productId)]),
  };
}

const productRow = (id: string, source: number, hash: string): ProductRow => {
  const [hi, lo] = hashWordsOf(hash);
  return { id, source, hash, hi, lo };
};

/** growable scratch words: an order's item hashes in SQL's order, and a copy to sort */
class Words {
  hi = new Uint32Array(64);
  lo = new Uint32Array(64);
  sortedHi = new Uint32Array(64);
  sortedLo = new Uint32Array(64);

  /** sortedHi and sortedLo: a copy of the first n of `hi` and `lo` (to be sorted) */
  sorted(hi: Uint32Array, lo: Uint32Array, n: number): void {
    if (n > this.sortedHi.length) {
      this.sortedHi = new Uint32Array(2 * n);
      this.sortedLo = new Uint32Array(2 * n);
    }
    // a loop, not set(subarray()): two views made per order cost more than the copy
    const { sortedHi, sortedLo } = this;
    for (let j = 0; j < n; j++) {
      sortedHi[j] = hi[j] as number;
      sortedLo[j] = lo[j] as number;
    }
  }

  /**
   * the `n` 8-byte hashes spelled as hex() digits in `text` from `at` (to `at` + 16n); false
   * when they are not that
   */
  read(text: string, at: number, n: number): boolean {
    if (n > this.hi.length) {
      const size = 2 * n;
      [this.hi, this.lo] = [new Uint32Array(size), new Uint32Array(size)];
      [this.sortedHi, this.sortedLo] = [new Uint32Array(size), new Uint32Array(size)];
    }
    for (let j = 0; j < n; j++) {
      const hi = anyCaseHexWord(text, at + 16 * j);
      const lo = anyCaseHexWord(text, at + 16 * j + 8);
      if (hi < 0 || lo < 0) return false;
      this.hi[j] = this.sortedHi[j] = hi;
      this.lo[j] = this.sortedLo[j] = lo;
    }
    return true;
  }
}

const SEPARATOR = ITEMS_SEPARATOR.charCodeAt(0);
const [ZERO, ONE] = [0x30, 0x31];

/** the decimal digits of `text` in [from, to) as a number, or -1 when they are not that */
const digits = (text: string, from: number, to: number): number => {
  if (to <= from || to - from > 15) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
};

/**
 * An order's items text (CompletionRow's last field) read in place: the usual case (the items
 * of one source, ids sorted alike in SQLite and JS, every hash 8 bytes, n product ids) is read
 * without an array of its fields (a `split` and a `slice` per order); any other text is read by
 * `split`, with the same answer.
 */
class ItemsText {
  n = 0;
  /** the items' source (read when n > 0 and `read` said true) */
  source = 0;
  /** the items' product ids in SQL's order, as their keys (keyAt; when `read` said true) */
  productKeys: IdKey[] = [];
  private readonly keys: IdKey[] = [];

  /**
   * true when the text is the usual case, its hashes then in `words`; false when the items are
   * to be read again with their ids
   */
  read(text: string, words: Words): boolean {
    const s0 = text.indexOf(ITEMS_SEPARATOR);
    const n = s0 < 0 ? -1 : digits(text, 0, s0);
    if (n <= 0) return this.split(text, words);
    // least and greatest source alike; astral 0; all bytes 1
    const s1 = text.indexOf(ITEMS_SEPARATOR, s0 + 1);
    const s2 = s1 < 0 ? -1 : text.indexOf(ITEMS_SEPARATOR, s1 + 1);
    if (s2 < 0 || s1 - s0 !== s2 - s1) return this.split(text, words);
    const source = digits(text, s0 + 1, s1);
    if (source < 0 || source !== digits(text, s1 + 1, s2)) return this.split(text, words);
    if (
      text.charCodeAt(s2 + 1) !== ZERO ||
      text.charCodeAt(s2 + 2) !== SEPARATOR ||
      text.charCodeAt(s2 + 3) !== ONE ||
      text.charCodeAt(s2 + 4) !== SEPARATOR
    )
      return this.split(text, words);
    const hex = s2 + 5;
    const end = hex + 16 * n;
    if (text.charCodeAt(end) !== SEPARATOR || !words.read(text, hex, n))
      return this.split(text, words);
    // exactly n product ids: n - 1 separators after the hashes' one
    const keys = this.keys;
    keys.length = n;
    let from = end + 1;
    for (let j = 0; j < n - 1; j++) {
      const to = text.indexOf(ITEMS_SEPARATOR, from);
      if (to < 0) return this.split(text, words);
      keys[j] = keyAt(text, from, to);
      from = to + 1;
    }
    if (text.indexOf(ITEMS_SEPARATOR, from) >= 0) return this.split(text, words);
    keys[n - 1] = keyAt(text, from, text.length);
    this.n = n;
    this.source = source;
    this.productKeys = keys;
    return true;
  }

  // [n, least source, greatest source, astral, all bytes, hex, ...n product ids]; for n = 0
  // only n is read (concat_ws skips the aggregates' NULLs)
  private split(text: string, words: Words): boolean {
    const fields = text.split(ITEMS_SEPARATOR);
    const n = Number(fields[0]);
    const hex = fields[5] ?? '';
    this.n = n;
    const asWords =
      n === 0 ||
      (fields.length === n + 6 &&
        fields[1] === fields[2] &&
        fields[3] === '0' &&
        fields[4] === '1' &&
        hex.length === 16 * n &&
        words.read(hex, 0, n));
    if (!asWords) return false;
    this.source = Number(fields[1]);
    this.productKeys = fields.slice(6);
    return true;
  }
}

/**
 * sorts `a` in place by product id as Array.prototype.sort() sorts strings (UTF-16 code units),
 * then drops the repeated ones (a product's row is one object); few rows
 */
const sortDistinct = (a: ProductRow[]): void => {
  for (let i = 1; i < a.length; i++) {
    const x = a[i] as ProductRow;
    let j = i - 1;
    for (; j >= 0 && (a[j] as ProductRow).id > x.id; j--) a[j + 1] = a[j] as ProductRow;
    a[j + 1] = x;
  }
  let kept = Math.min(a.length, 1);
  for (let i = 1; i < a.length; i++) if (a[i] !== a[kept - 1]) a[kept++] = a[i] as ProductRow;
  a.length = kept;
};

/** touched orders whose is_complete changes and which `into` does not report (their keys) */
export interface CompletenessChanges {
  readonly complete: IdKey[];
  readonly incomplete: IdKey[];
}

/**
 * Adds to `into` every complete order of `rows` whose fingerprint differs from its last reported
 * one; returns the other orders whose completeness changed.
 */
export function addChangedCompletions(
  rows: Iterable<CompletionRow>,
  sources: CompletionSources,
  into: CompletionColumnsBuilder,
): CompletenessChanges {
  const adder = new CompletionAdder(sources, into);
  for (const row of rows) adder.row(row);
  return adder.changes;
}

/**
 * Completion rows into `into`, one order at a time, in the answer's order: a completion query's
 * row (row), or an order whose items are all the landing's own rows (own). `changes`: the
 * other touched orders whose completeness changed.
 */
export class CompletionAdder {
  readonly changes: CompletenessChanges = { complete: [], incomplete: [] };
  private readonly words = new Words();
  private readonly text = new ItemsText();
  private readonly found: ProductRow[] = [];
  private readonly none: IdentifiedRow[] = [];

  constructor(
    private readonly sources: CompletionSources,
    private readonly into: CompletionColumnsBuilder,
  ) {}

  row([
    orderId,
    orderHash,
    createdAt,
    orderSource,
    lastCompleted,
    was,
    itemText,
  ]: CompletionRow): void {
    const { words, text, changes, into } = this;
    const { fileOf, itemsWithIds } = this.sources;
    if (itemText === null) {
      if (was === 1) changes.incomplete.push(idKey(orderId));
      return;
    }
    // the usual case read in place (ItemsText); otherwise (a text hash, an id past U+FFFF, items
    // of several sources, ...) the items are read again as text and sorted as the decider does
    const asWords = text.read(itemText, words);
    const n = text.n;
    const spelled = asWords ? this.none : itemsWithIds(idKey(orderId)).sort(byId);
    const productIds = asWords ? text.productKeys : spelled.map((r) => r[3]);
    if (!this.findProducts(productIds, productIds.length)) {
      if (was === 1) changes.incomplete.push(idKey(orderId));
      return;
    }
    const fp = asWords
      ? orderFingerprintOfWords(orderHash, words.sortedHi, words.sortedLo, n)
      : fingerprint([orderHash, ...spelled.map((r) => r[1]).sort()]);
    if (fp === lastCompleted) {
      if (was !== 1) changes.complete.push(idKey(orderId));
      return;
    }
    into.order(orderId, fp, createdAt ?? Number.NaN, fileOf(orderSource), orderHash);
    if (asWords && n > 0) {
      const { hi, lo } = words;
      const file = fileOf(text.source);
      for (let j = 0; j < n; j++) into.itemWords(file, hi[j] as number, lo[j] as number);
    } else for (const [, h, source] of spelled) into.item(fileOf(source), h);
    this.addProducts();
  }

  /**
   * An order whose items are exactly `items` (sorted by id), all rows of the landing whose
   * source is `itemSource`: what the completion query's row would say of it, without reading
   * its items from ri_items.
   */
  own(
    [orderId, key, orderHash, createdAt, orderSource, lastCompleted, was, numOfItems]: OwnOrderRow,
    items: OwnItems,
    itemSource: number,
  ): void {
    const { changes, into, words } = this;
    const n = items.n;
    // the query's items text is null unless the order has its row and num_of_items items
    if (orderHash === null || numOfItems !== n) {
      if (was === 1) changes.incomplete.push(key);
      return;
    }
    if (!this.findProducts(items.productIds, n)) {
      if (was === 1) changes.incomplete.push(key);
      return;
    }
    let fp: string;
    if (items.words) {
      words.sorted(items.hi, items.lo, n);
      fp = orderFingerprintOfWords(orderHash, words.sortedHi, words.sortedLo, n);
    } else fp = fingerprint([orderHash, ...ownHashes(items).sort()]);
    if (fp === lastCompleted) {
      if (was !== 1) changes.complete.push(key);
      return;
    }
    const { fileOf } = this.sources;
    into.order(orderId, fp, createdAt ?? Number.NaN, fileOf(orderSource), orderHash);
    const file = fileOf(itemSource);
    if (items.words) {
      const { hi, lo } = items;
      for (let j = 0; j < n; j++) into.itemWords(file, hi[j] as number, lo[j] as number);
    } else for (const h of ownHashes(items)) into.item(file, h);
    this.addProducts();
  }

  /**
   * every product of `ids` (its first n) landed (else the order is not complete), looked up
   * before anything is added for the order; then distinct, in the decider's order (JS compares
   * the ids' UTF-16 code units), in `found`
   */
  private findProducts(ids: readonly IdKey[], n: number): boolean {
    const { found } = this;
    const { productAt } = this.sources;
    found.length = 0;
    for (let j = 0; j < n; j++) {
      const at = productAt(ids[j] as IdKey);
      if (at === undefined) return false;
      found.push(at);
    }
    if (found.length > 1) sortDistinct(found);
    return true;
  }

  private addProducts(): void {
    const { into } = this;
    const { fileOf } = this.sources;
    for (const p of this.found)
      if (p.hi < 0) into.product(fileOf(p.source), p.hash);
      else into.productWords(fileOf(p.source), p.hi, p.lo);
  }
}

/** an own order's item hashes as text, in item order */
const ownHashes = (items: OwnItems): string[] => {
  const out: string[] = [];
  for (let j = 0; j < items.n; j++)
    out.push(items.hashes[j] ?? hexOfWords(items.hi[j] as number, items.lo[j] as number));
  return out;
};
