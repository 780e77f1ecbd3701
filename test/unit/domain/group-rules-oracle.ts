// The group rules as written before they were made columnar (a Set per order, an object per
// key): kept as the oracle the faster validateGroup is proven equal to (group-rules-columnar.test.ts).
import { indexOrders, indexProducts } from '../../../src/domain/kpi/join-facts.js';
import { stringColumn, type GroupData, type SourcedBatch } from '../../../src/domain/group-data.js';
import { rowHashes } from '../../../src/domain/row-hashes.js';
import { hasErrors } from '../../../src/domain/validation/merge-verdicts.js';
import { RuleCounter } from '../../../src/domain/validation/rule-counter.js';
import {
  DEFAULT_SAMPLE_CAP,
  type ValidationVerdict,
} from '../../../src/domain/validation/verdict.js';

/** group.conflicting-versions over one dataset's batches, keyed by `keyColumn` */
const checkVersions = (
  tally: RuleCounter,
  batches: readonly SourcedBatch[],
  keyColumn: string,
): void => {
  const first = new Map<string, { hash: string; file: string; line: number }>();
  for (const { file, batch } of batches) {
    const keys = stringColumn(batch, keyColumn).values;
    // the oracle spells the hashes out itself (the precomputed words are what is under test)
    const hashes = rowHashes(batch);
    for (let r = 0; r < batch.length; r++) {
      const key = keys[r];
      const hash = hashes[r] as string;
      const line = batch.lines[r] ?? 0;
      if (key === null || key === undefined) continue;
      const seen = first.get(key);
      tally.check(1);
      if (seen === undefined) first.set(key, { hash, file, line });
      if (seen === undefined || seen.hash === hash) continue;
      tally.fail({
        file,
        line,
        key,
        column: keyColumn,
        value: key,
        message: `${batch.dataset} ${keyColumn}=${key} differs from its version at ${seen.file}:${seen.line}`,
      });
    }
  }
};

export const validateGroupOracle = (
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
  const itemsPerOrder = new Map<string, Set<string>>();

  for (const { file, batch } of data.items) {
    const ids = stringColumn(batch, 'id').values;
    const orderIds = stringColumn(batch, 'order_id').values;
    const users = stringColumn(batch, 'user_id').values;
    const productIds = stringColumn(batch, 'product_id').values;
    for (let r = 0; r < batch.length; r++) {
      const id = ids[r] ?? null;
      const orderId = orderIds[r] ?? null;
      const productId = productIds[r] ?? null;
      const line = batch.lines[r] ?? 0;
      const order = orderId === null ? undefined : orders.get(orderId);
      if (orderId !== null && id !== null) {
        const set = itemsPerOrder.get(orderId) ?? new Set<string>();
        set.add(id);
        itemsPerOrder.set(orderId, set);
      }
      const lacks: string[] = [];
      if (order === undefined) lacks.push(`order ${orderId ?? '(null)'}`);
      if (productId === null || !products.has(productId))
        lacks.push(`product ${productId ?? '(null)'}`);
      references.check(1);
      if (lacks.length > 0) {
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
    const count = itemsPerOrder.get(orderId)?.size ?? 0;
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

  checkVersions(versions, data.orders, 'order_id');
  checkVersions(versions, data.items, 'id');

  const rules = [itemUser, itemCount, versions, references].map((t) => t.result());
  const rowsChecked = [...data.orders, ...data.items, ...data.products].reduce(
    (n, s) => n + s.batch.length,
    0,
  );
  return { subject: groupId, dataset: null, ok: !hasErrors(rules), rowsChecked, rules };
};
