// Turning the completion query's rows (one per complete touched order, its items' and products'
// hashes and sources as JSON arrays) into the decider's OrderCompletion, and keeping those whose
// fingerprint changed. Built exactly as the decider's completionOf: items sorted by id, products
// distinct and sorted, the fingerprint of the order row's hash and the sorted item hashes.
import { fingerprint } from '../../domain/fingerprint.js';
import type { OrderCompletion, RowLocation } from '../../domain/order-completion.types.js';
import type { CompletionRow } from './sqlite-reference-statements.js';

/** a source id -> one shared location prefix (no string per row for the file names) */
export type SourceOf = (source: number) => { readonly key: string; readonly stagedKey: string };

export interface ChangedCompletion {
  readonly completion: OrderCompletion;
  /** the fingerprint it replaces (null: never reported) */
  readonly previous: string | null;
}

/** [id, hash, source] of an item or a product */
export type IdentifiedRow = [id: string, hash: string, source: number];
/** an order's items and products with their ids (read only when SQLite's order may differ) */
export type RowsWithIds = (orderId: string) => {
  readonly items: IdentifiedRow[];
  readonly products: IdentifiedRow[];
};

const byId = (a: IdentifiedRow, b: IdentifiedRow): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

export function changedCompletions(
  rows: Iterable<CompletionRow>,
  sourceOf: SourceOf,
  withIds: RowsWithIds,
): ChangedCompletion[] {
  const at = (source: number | null | undefined, hash: string): RowLocation => {
    const { key, stagedKey } = sourceOf(source ?? -1);
    return { key, stagedKey, hash };
  };
  const located = (hashes: readonly string[], sources: readonly number[]): RowLocation[] =>
    hashes.map((h, j) => at(sources[j], h));
  const sortedInJs = (rs: IdentifiedRow[]): RowLocation[] =>
    rs.sort(byId).map(([, h, source]) => at(source, h));
  const out: ChangedCompletion[] = [];
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
    let items: RowLocation[];
    let products: RowLocation[];
    if (astral === 1) {
      const rs = withIds(orderId);
      items = sortedInJs(rs.items);
      products = sortedInJs(rs.products);
    } else {
      const [productHashes, productSources] = JSON.parse(productJson) as [string[], number[]];
      items = located(itemHashes, itemSources);
      products = located(productHashes, productSources);
    }
    out.push({
      previous: lastCompleted,
      completion: {
        orderId,
        fingerprint: fp,
        createdAt: createdAt ?? NaN,
        order: at(orderSource, orderHash),
        items,
        products,
      },
    });
  }
  return out;
}
