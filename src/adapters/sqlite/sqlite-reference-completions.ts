// Turning the completion query's rows (one per item of each complete touched order, grouped by
// order) into the decider's OrderCompletion, and keeping those whose fingerprint changed. Built
// exactly as the decider's completionOf: items sorted by id, products distinct and sorted, the
// fingerprint of the order row's hash and the sorted item hashes.
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

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byId = <T>(a: [string, T], b: [string, T]): number => compare(a[0], b[0]);

// SQLite orders ids by UTF-8 bytes, JS by UTF-16 units: they differ only past U+FFFF, so the
// rows usually arrive sorted and the sort is skipped
const sortedById = <T>(xs: [string, T][]): [string, T][] => {
  for (let i = 1; i < xs.length; i++) {
    if (compare((xs[i - 1] as [string, T])[0], (xs[i] as [string, T])[0]) > 0) return xs.sort(byId);
  }
  return xs;
};

class OrderRows {
  readonly items: [string, RowLocation][] = [];
  readonly products = new Map<string, RowLocation>();
  constructor(readonly first: CompletionRow) {}
}

export function changedCompletions(
  rows: Iterable<CompletionRow>,
  sourceOf: SourceOf,
): ChangedCompletion[] {
  const at = (source: number | null, hash: string | null): RowLocation => {
    const { key, stagedKey } = sourceOf(source ?? -1);
    return { key, stagedKey, hash: hash ?? '' };
  };
  const out: ChangedCompletion[] = [];
  const flush = (o: OrderRows): void => {
    const [orderId, orderHash, createdAt, orderSource, lastCompleted] = o.first;
    const items = sortedById(o.items);
    const hashes = items.map(([, l]) => l.hash).sort();
    const fp = fingerprint([orderHash, ...hashes]);
    if (fp === lastCompleted) return;
    out.push({
      previous: lastCompleted,
      completion: {
        orderId,
        fingerprint: fp,
        createdAt: createdAt ?? NaN,
        order: at(orderSource, orderHash),
        items: items.map(([, l]) => l),
        products: [...o.products].sort(byId).map(([, l]) => l),
      },
    });
  };
  let current: OrderRows | null = null;
  for (const row of rows) {
    if (current === null || current.first[0] !== row[0]) {
      if (current !== null) flush(current);
      current = new OrderRows(row);
    }
    const itemId = row[5];
    if (itemId === null) continue; // an order of 0 items
    current.items.push([itemId, at(row[7], row[6])]);
    const productId = row[8] ?? '';
    if (!current.products.has(productId)) current.products.set(productId, at(row[10], row[9]));
  }
  if (current !== null) flush(current);
  return out;
}
