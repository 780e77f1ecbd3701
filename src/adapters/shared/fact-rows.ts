// Rules every FactStore adapter shares: which orders a replace removes, which dates it reports
// as touched, and the order forDates returns facts in.
import { factDates, type FactColumns } from '../../domain/kpi/fact-columns.js';
import type { Fact } from '../../domain/kpi/kpi.types.js';

/** An order's items are replaced as a whole: the orders named and those the new facts are under. */
export const replacedOrders = (orderIds: readonly string[], facts: FactColumns): Set<string> => {
  const orders = new Set(orderIds);
  for (const orderId of facts.orderId) orders.add(orderId);
  return orders;
};

/** The dates a replace changes, sorted: where the removed facts were and where the new ones are. */
export const touchedDates = (removed: Iterable<string>, facts: FactColumns): string[] =>
  [...new Set([...removed, ...factDates(facts)])].sort();

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const byOrderThenItem = (a: Fact, b: Fact): number =>
  cmp(a.orderId, b.orderId) || cmp(a.itemId, b.itemId);
