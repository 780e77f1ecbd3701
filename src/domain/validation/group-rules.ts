// Rules that span the files of one completed group (spec section 2, Validate stage): an item's
// user matches its order's, each order has exactly num_of_item items, no key appears in two
// different versions, every reference is present. The group's data must hold one version of
// each row: a corrected re-delivery replaces the old version before the group is formed.
import { indexOrders, indexProducts } from '../kpi/join-facts.js';
import { stringColumn, type GroupData, type SourcedBatch } from '../group-data.js';
import { rowHashes } from '../row-hashes.js';
import { hasErrors } from './merge-verdicts.js';
import { RuleCounter } from './rule-counter.js';
import { DEFAULT_SAMPLE_CAP, type ValidationVerdict } from './verdict.js';

/**
 * The first version seen of each key, held in flat arrays indexed through one Map (no object
 * per row: a big group has 10^6 keys). group.conflicting-versions fails a later row whose hash
 * differs from its key's first version.
 */
class FirstVersions {
  private readonly index = new Map<string, number>();
  private readonly hashes: string[] = [];
  private readonly files: string[] = [];
  private readonly lines: number[] = [];
  /** item keys only: the order of the first version (see countItem) */
  readonly orders: (string | null)[] = [];

  constructor(
    private readonly tally: RuleCounter,
    private readonly keyColumn: string,
  ) {}

  get size(): number {
    return this.hashes.length;
  }

  /** the key's slot, after checking this row against its first version */
  see(sourced: SourcedBatch, key: string, hash: string, row: number, order: string | null): number {
    const { file, batch } = sourced;
    const line = batch.lines[row] ?? 0;
    this.tally.check(1);
    const at = this.index.get(key);
    if (at === undefined) {
      this.index.set(key, this.hashes.length);
      this.hashes.push(hash);
      this.files.push(file);
      this.lines.push(line);
      this.orders.push(order);
      return this.hashes.length - 1;
    }
    if (this.hashes[at] !== hash) {
      this.tally.fail({
        file,
        line,
        key,
        column: this.keyColumn,
        value: key,
        message: `${batch.dataset} ${this.keyColumn}=${key} differs from its version at ${this.files[at]}:${this.lines[at]}`,
      });
    }
    return at;
  }
}

/** group.conflicting-versions over the orders' batches */
const checkOrderVersions = (tally: RuleCounter, batches: readonly SourcedBatch[]): void => {
  const first = new FirstVersions(tally, 'order_id');
  for (const sourced of batches) {
    const keys = stringColumn(sourced.batch, 'order_id').values;
    const hashes = sourced.hashes ?? rowHashes(sourced.batch);
    for (let r = 0; r < sourced.batch.length; r++) {
      const key = keys[r];
      if (key !== null && key !== undefined) first.see(sourced, key, hashes[r] as string, r, null);
    }
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
  const orders = indexOrders(data.orders);
  const products = indexProducts(data.products);
  // the orders' versions first: the rule's samples list order conflicts before item conflicts
  checkOrderVersions(versions, data.orders);
  const itemVersions = new FirstVersions(versions, 'id');
  // distinct item ids per order: counted when an id is first seen (under its first order), and
  // for the rare (order, item) pairs of an id seen under another order too
  const itemsPerOrder = new Map<string, number>();
  const otherPairs = new Map<string, Set<string>>();
  const countItem = (orderId: string, id: string, slot: number, isNew: boolean): void => {
    if (!isNew) {
      if (itemVersions.orders[slot] === orderId) return;
      const seen = otherPairs.get(orderId) ?? new Set<string>();
      if (seen.has(id)) return;
      otherPairs.set(orderId, seen.add(id));
    }
    itemsPerOrder.set(orderId, (itemsPerOrder.get(orderId) ?? 0) + 1);
  };

  for (const sourced of data.items) {
    const { file, batch } = sourced;
    const ids = stringColumn(batch, 'id').values;
    const orderIds = stringColumn(batch, 'order_id').values;
    const users = stringColumn(batch, 'user_id').values;
    const productIds = stringColumn(batch, 'product_id').values;
    const hashes = sourced.hashes ?? rowHashes(batch);
    for (let r = 0; r < batch.length; r++) {
      const id = ids[r] ?? null;
      const orderId = orderIds[r] ?? null;
      const productId = productIds[r] ?? null;
      const line = batch.lines[r] ?? 0;
      const order = orderId === null ? undefined : orders.get(orderId);
      if (id !== null) {
        const known = itemVersions.size;
        const slot = itemVersions.see(sourced, id, hashes[r] as string, r, orderId);
        if (orderId !== null) countItem(orderId, id, slot, itemVersions.size > known);
      }
      const lacksProduct = productId === null || !products.has(productId);
      references.check(1);
      if (order === undefined || lacksProduct) {
        const lacks: string[] = [];
        if (order === undefined) lacks.push(`order ${orderId ?? '(null)'}`);
        if (lacksProduct) lacks.push(`product ${productId ?? '(null)'}`);
        const message = `item ${id ?? '(null)'} references missing ${lacks.join(' and ')}`;
        references.fail({ file, line, key: id, column: 'order_id', value: orderId, message });
      }
      if (order === undefined) continue;
      const user = users[r] ?? null;
      itemUser.check(1);
      if (user !== order.userId) {
        const message = `item user_id ${user ?? '(null)'} differs from order ${orderId}'s user_id ${order.userId ?? '(null)'}`;
        itemUser.fail({ file, line, key: id, column: 'user_id', value: user, message });
      }
    }
  }

  for (const [orderId, order] of orders) {
    const count = itemsPerOrder.get(orderId) ?? 0;
    itemCount.check(1);
    if (order.numOfItem !== count) {
      const message = `order ${orderId} has ${count} item(s) but num_of_item is ${order.numOfItem ?? '(null)'}`;
      const value = order.numOfItem === null ? null : String(order.numOfItem);
      itemCount.fail({
        file: order.file,
        line: order.line,
        key: orderId,
        column: 'num_of_item',
        value,
        message,
      });
    }
  }

  const rules = [itemUser, itemCount, versions, references].map((t) => t.result());
  const rowsChecked = [...data.orders, ...data.items, ...data.products].reduce(
    (n, s) => n + s.batch.length,
    0,
  );
  return { subject: groupId, dataset: null, ok: !hasErrors(rules), rowsChecked, rules };
};
