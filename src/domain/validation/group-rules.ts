// Rules that span the files of one completed group (spec section 2, Validate stage): an item's
// user matches its order's, each order has exactly num_of_item items, no key appears in two
// different versions, every reference is present. The group's data must hold one version of
// each row: a corrected re-delivery replaces the old version before the group is formed.
// Columnar: orders and items are numbered by KeySlots and what the rules need per key sits in
// typed arrays by slot (no Map and no object per order or item: a big group has 10^6 items).
import { indexProducts } from '../kpi/join-facts.js';
import { numberAt, numberColumn, rowCount, stringColumn } from '../group-data.js';
import type { GroupData, SourcedBatch } from '../group-data.js';
import { rowHashWords } from '../row-hashes.js';
import { FirstVersions } from './first-versions.js';
import type { KeySlots } from '../key-slots.js';
import { hasErrors } from './merge-verdicts.js';
import { RuleCounter } from './rule-counter.js';
import { DEFAULT_SAMPLE_CAP, type ValidationVerdict } from './verdict.js';

interface OrderIndex {
  readonly keys: KeySlots;
  /** where each order's last version is (the one the rules read, as join-facts' indexOrders
   *  keeps the last): index into the orders' batches, row in that batch */
  readonly batches: Int32Array;
  readonly rows: Int32Array;
}

const hashesOf = (sources: readonly SourcedBatch[]): Uint32Array[] =>
  sources.map((s) => s.hashes ?? rowHashWords(s.batch));

/** group.conflicting-versions over the orders, in the same pass that numbers them */
const indexOrderVersions = (tally: RuleCounter, orders: readonly SourcedBatch[]): OrderIndex => {
  const first = new FirstVersions(tally, 'order_id', orders, hashesOf(orders));
  const total = rowCount(orders);
  const index = { keys: first.keys, batches: new Int32Array(total), rows: new Int32Array(total) };
  orders.forEach((sourced, b) => {
    const keys = stringColumn(sourced.batch, 'order_id').values;
    for (let r = 0; r < sourced.batch.length; r++) {
      const key = keys[r];
      if (key === null || key === undefined) continue;
      const seen = first.see(b, key, r);
      const slot = seen < 0 ? ~seen : seen;
      index.batches[slot] = b;
      index.rows[slot] = r;
    }
  });
  return index;
};

/** group.item-count: each order against the distinct items counted under it */
const checkItemCounts = (
  tally: RuleCounter,
  orders: readonly SourcedBatch[],
  index: OrderIndex,
  counts: Int32Array,
): void => {
  const columns = orders.map(({ batch }) => ({
    ids: stringColumn(batch, 'order_id').values,
    numOfItem: numberColumn(batch, 'num_of_item'),
  }));
  for (let slot = 0; slot < index.keys.size; slot++) {
    const b = index.batches[slot] as number;
    const r = index.rows[slot] as number;
    const { file, batch } = orders[b] as SourcedBatch;
    const { ids, numOfItem } = columns[b] as (typeof columns)[number];
    const orderId = ids[r] as string;
    const expected = numberAt(numOfItem, r);
    const count = counts[slot] as number;
    tally.check(1);
    if (expected === count) continue;
    tally.fail({
      file,
      line: batch.lines[r] ?? 0,
      key: orderId,
      column: 'num_of_item',
      value: expected === null ? null : String(expected),
      message: `order ${orderId} has ${count} item(s) but num_of_item is ${expected ?? '(null)'}`,
    });
  }
};

export const validateGroup = (
  groupId: string,
  data: GroupData,
  sampleCap: number = DEFAULT_SAMPLE_CAP,
): ValidationVerdict => {
  const itemUser = new RuleCounter('ref.item-user', 'warn', 'group', sampleCap);
  const itemCount = new RuleCounter('group.item-count', 'error', 'group', sampleCap);
  const versions = new RuleCounter('group.conflicting-versions', 'error', 'group', sampleCap);
  const references = new RuleCounter('group.references-present', 'error', 'group', sampleCap);
  // the orders' versions first: the rule's samples list order conflicts before item conflicts
  const orders = indexOrderVersions(versions, data.orders);
  const products = indexProducts(data.products);
  const itemVersions = new FirstVersions(versions, 'id', data.items, hashesOf(data.items));
  const orderUsers = data.orders.map(({ batch }) => stringColumn(batch, 'user_id').values);
  // distinct item ids per order slot: counted when an id is first seen (under its first order),
  // and for the rare (order, item) pairs of an id seen under another order too
  const counts = new Int32Array(orders.keys.size);
  const itemOrderIds = data.items.map(({ batch }) => stringColumn(batch, 'order_id').values);
  /** the order slot (or -1) of an item id's first version: looked up again for the rare id seen
   *  twice instead of kept for every id */
  const firstOrder = (slot: number): number => {
    const ids = itemOrderIds[itemVersions.batches[slot] as number] as (string | null)[];
    const orderId = ids[itemVersions.rows[slot] as number] ?? null;
    return orderId === null ? -1 : orders.keys.find(orderId);
  };
  const otherPairs = new Map<number, Set<string>>();

  data.items.forEach((sourced, b) => {
    const { file, batch } = sourced;
    const ids = stringColumn(batch, 'id').values;
    const orderIds = stringColumn(batch, 'order_id').values;
    const users = stringColumn(batch, 'user_id').values;
    const productIds = stringColumn(batch, 'product_id').values;
    let lastOrderId: string | null = null;
    let lastOrder = -1;
    let orderUser: string | null = null;
    for (let r = 0; r < batch.length; r++) {
      const id = ids[r] ?? null;
      const orderId = orderIds[r] ?? null;
      const productId = productIds[r] ?? null;
      // the order's slot, or -1 when the group lacks it; an export lists an order's items
      // together, so the previous row's answer often serves without a probe
      if (orderId !== lastOrderId) {
        lastOrderId = orderId;
        lastOrder = orderId === null ? -1 : orders.keys.find(orderId);
        if (lastOrder >= 0) {
          const users = orderUsers[orders.batches[lastOrder] as number] as (string | null)[];
          orderUser = users[orders.rows[lastOrder] as number] ?? null;
        }
      }
      const order = lastOrder;
      if (id !== null) {
        const slot = itemVersions.see(b, id, r);
        if (slot < 0) {
          if (order >= 0) counts[order] = (counts[order] as number) + 1;
        } else if (order >= 0 && firstOrder(slot) !== order) {
          const seen = otherPairs.get(order) ?? new Set<string>();
          if (!seen.has(id)) {
            otherPairs.set(order, seen.add(id));
            counts[order] = (counts[order] as number) + 1;
          }
        }
      }
      const lacksProduct = productId === null || !products.has(productId);
      references.check(1);
      if (order < 0 || lacksProduct) {
        const lacks: string[] = [];
        if (order < 0) lacks.push(`order ${orderId ?? '(null)'}`);
        if (lacksProduct) lacks.push(`product ${productId ?? '(null)'}`);
        const message = `item ${id ?? '(null)'} references missing ${lacks.join(' and ')}`;
        const line = batch.lines[r] ?? 0;
        references.fail({ file, line, key: id, column: 'order_id', value: orderId, message });
      }
      if (order < 0) continue;
      const user = users[r] ?? null;
      itemUser.check(1);
      if (user !== orderUser) {
        const message = `item user_id ${user ?? '(null)'} differs from order ${orderId}'s user_id ${orderUser ?? '(null)'}`;
        const line = batch.lines[r] ?? 0;
        itemUser.fail({ file, line, key: id, column: 'user_id', value: user, message });
      }
    }
  });

  checkItemCounts(itemCount, data.orders, orders, counts);
  const rules = [itemUser, itemCount, versions, references].map((t) => t.result());
  const rowsChecked = [...data.orders, ...data.items, ...data.products].reduce(
    (n, s) => n + s.batch.length,
    0,
  );
  return { subject: groupId, dataset: null, ok: !hasErrors(rules), rowsChecked, rules };
};
