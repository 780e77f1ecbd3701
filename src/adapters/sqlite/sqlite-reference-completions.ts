// Turning the completion query's rows (one per complete touched order, its items' and products'
// hashes and sources as JSON arrays) into completion columns, keeping the orders whose
// fingerprint changed. Built exactly as the decider's completionOf: items sorted by id, products
// distinct and sorted, the fingerprint of the order row's hash and the sorted item hashes. No
// object per order or per row location is made: the hashes go straight into the columns.
import type { CompletionColumnsBuilder } from '../../domain/completion-columns.js';
import { fingerprint } from '../../domain/fingerprint.js';
import type { CompletionRow } from './sqlite-reference-statements.js';

/** a source id (ri_sources) -> its index in the builder's files, looked up once per source */
export type FileOf = (source: number) => number;

/** [id, hash, source] of an item or a product */
export type IdentifiedRow = [id: string, hash: string, source: number];
/** an order's items and products with their ids (read only when SQLite's order may differ) */
export type RowsWithIds = (orderId: string) => {
  readonly items: IdentifiedRow[];
  readonly products: IdentifiedRow[];
};

const byId = (a: IdentifiedRow, b: IdentifiedRow): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

/** Adds to `into` every order of `rows` whose fingerprint differs from its last reported one. */
export function addChangedCompletions(
  rows: Iterable<CompletionRow>,
  fileOf: FileOf,
  withIds: RowsWithIds,
  into: CompletionColumnsBuilder,
): void {
  for (const [
    orderId,
    orderHash,
    createdAt,
    orderSource,
    lastCompleted,
    itemJson,
    productJson,
  ] of rows) {
    const [itemHashes, itemSources, astral] = JSON.parse(itemJson) as [
      string[],
      number[],
      number | null,
    ];
    const fp = fingerprint([orderHash, ...[...itemHashes].sort()]);
    if (fp === lastCompleted) continue;
    into.order(orderId, fp, createdAt ?? Number.NaN, fileOf(orderSource), orderHash);
    if (astral === 1) {
      const rs = withIds(orderId);
      for (const [, h, source] of rs.items.sort(byId)) into.item(fileOf(source), h);
      for (const [, h, source] of rs.products.sort(byId)) into.product(fileOf(source), h);
      continue;
    }
    const [productHashes, productSources] = JSON.parse(productJson) as [string[], number[]];
    for (let j = 0; j < itemHashes.length; j++)
      into.item(fileOf(itemSources[j] as number), itemHashes[j] as string);
    for (let j = 0; j < productHashes.length; j++)
      into.product(fileOf(productSources[j] as number), productHashes[j] as string);
  }
}
