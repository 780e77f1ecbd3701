// Turning the completion query's rows (one per complete touched order, its items' hashes, sources
// and product ids as JSON arrays) into completion columns, keeping the orders whose fingerprint
// changed. Built exactly as the decider's completionOf: items sorted by id, products distinct and
// sorted by id (here, in JS: the decider's own order), the fingerprint of the order row's hash and
// the sorted item hashes. No object per order or per row location is made: the hashes go
// straight into the columns, and a product's location is read once per landing and shared.
import type { CompletionColumnsBuilder } from '../../domain/completion-columns.js';
import { fingerprint } from '../../domain/fingerprint.js';
import type { CompletionRow, Statements } from './sqlite-reference-statements.js';

/** a source id (ri_sources) -> its index in the builder's files, looked up once per source */
export type FileOf = (source: number) => number;
/** a product id -> its location: [index in the builder's files, hash] */
export type ProductAt = (productId: string) => readonly [file: number, hash: string];

/** [id, hash, source] of an item */
export type IdentifiedRow = [id: string, hash: string, source: number];
/** an order's items with their ids (read only when SQLite's order may differ from JS's) */
export type ItemsWithIds = (orderId: string) => IdentifiedRow[];

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
  const products = new Map<string, readonly [number, string]>();
  return {
    fileOf,
    productAt: (id) => {
      let at = products.get(id);
      if (at === undefined) {
        // a complete order's products are all there
        const row = s.product.get(id);
        at = [fileOf(row?.source ?? -1), row?.hash ?? ''];
        products.set(id, at);
      }
      return at;
    },
    itemsWithIds: (orderId) => s.itemsWithIds.all(orderId),
  };
}

/** Adds to `into` every order of `rows` whose fingerprint differs from its last reported one. */
export function addChangedCompletions(
  rows: Iterable<CompletionRow>,
  { fileOf, productAt, itemsWithIds }: CompletionSources,
  into: CompletionColumnsBuilder,
): void {
  for (const [orderId, orderHash, createdAt, orderSource, lastCompleted, itemJson] of rows) {
    const [itemHashes, itemSources, productIds, astral] = JSON.parse(itemJson) as [
      string[],
      number[],
      string[],
      number | null,
    ];
    const fp = fingerprint([orderHash, ...[...itemHashes].sort()]);
    if (fp === lastCompleted) continue;
    into.order(orderId, fp, createdAt ?? Number.NaN, fileOf(orderSource), orderHash);
    if (astral === 1) {
      for (const [, h, source] of itemsWithIds(orderId).sort(byId)) into.item(fileOf(source), h);
    } else {
      for (let j = 0; j < itemHashes.length; j++)
        into.item(fileOf(itemSources[j] as number), itemHashes[j] as string);
    }
    // distinct, in the decider's order (JS compares UTF-16 code units)
    productIds.sort();
    for (let j = 0; j < productIds.length; j++) {
      const id = productIds[j] as string;
      if (j > 0 && id === productIds[j - 1]) continue;
      const [file, hash] = productAt(id);
      into.product(file, hash);
    }
  }
}
