// Turning the completion query's rows (one per item of each complete touched order, grouped by
// order) into the decider's OrderCompletion, and keeping those whose fingerprint changed. Built
// exactly as the decider's completionOf: items sorted by id, products distinct and sorted, the
// fingerprint of the order row's hash and the sorted item hashes.
import { fingerprint } from '../../domain/fingerprint.js';
import type { OrderCompletion, RowLocation } from '../../domain/order-completion.types.js';
import type { CompletionRow } from './sqlite-reference-statements.js';

/** a source id -> one shared location prefix (no string per row for the file names) */
export type SourceOf = (source: number) => { readonly key: string; readonly stagedKey: string };

const byId = <T>(a: [string, T], b: [string, T]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

const at = (sourceOf: SourceOf, source: number, hash: string): RowLocation => {
  const { key, stagedKey } = sourceOf(source);
  return { key, stagedKey, hash };
};

/** the changed completions among the rows, and each one's previous fingerprint */
export function changedCompletions(
  rows: Iterable<CompletionRow>,
  sourceOf: SourceOf,
): { completion: OrderCompletion; previous: string | null }[] {
  const out: { completion: OrderCompletion; previous: string | null }[] = [];
  let group: CompletionRow[] = [];
  const flush = (): void => {
    const first = group[0];
    if (first === undefined) return;
    const [orderId, orderHash, createdAt, orderSource, lastCompleted] = first;
    const items: [string, RowLocation][] = [];
    const products = new Map<string, RowLocation>();
    for (const r of group) {
      const [, , , , , itemId, itemHash, itemSource, productId, productHash, productSource] = r;
      if (itemId === null) continue; // an order of 0 items
      items.push([itemId, at(sourceOf, itemSource ?? -1, itemHash ?? '')]);
      const product = productId ?? '';
      if (!products.has(product))
        products.set(product, at(sourceOf, productSource ?? -1, productHash ?? ''));
    }
    items.sort(byId);
    const fp = fingerprint([orderHash, ...items.map(([, l]) => l.hash).sort()]);
    if (fp !== lastCompleted) {
      out.push({
        previous: lastCompleted,
        completion: {
          orderId,
          fingerprint: fp,
          createdAt: createdAt ?? NaN,
          order: at(sourceOf, orderSource, orderHash),
          items: items.map(([, l]) => l),
          products: [...products].sort(byId).map(([, l]) => l),
        },
      });
    }
    group = [];
  };
  for (const row of rows) {
    if (group.length > 0 && group[0]?.[0] !== row[0]) flush();
    group.push(row);
  }
  flush();
  return out;
}
