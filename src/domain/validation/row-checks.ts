// Column-wise checks behind the landing rules: each loops over one column of a batch and calls
// `fail` for the rows that break the rule (row index in the batch, column, value, message).
import type { ColumnBatch, NumberColumn, StringColumn } from '../columns.js';
import { ORDER_STATUSES, type DatasetSchema } from '../datasets.js';
import { formatCents } from '../money.js';
import type { FirstSeen } from './first-seen.js';

export type Fail = (row: number, column: string, value: string | null, message: string) => void;

const STATUSES: ReadonlySet<string> = new Set(ORDER_STATUSES);
const STATUS_LIST = ORDER_STATUSES.join(', ');

/** required.not-null; cells that failed type.parse are that rule's, not this one's */
export function checkRequired(
  b: ColumnBatch,
  schema: DatasetSchema,
  unparsed: ReadonlySet<string>,
  fail: Fail,
): void {
  for (const spec of schema.columns) {
    const col = b.columns[spec.name];
    if (!spec.required || col === undefined) continue;
    for (let i = 0; i < b.length; i++) {
      const missing = col.type === 'string' ? col.values[i] === null : col.valid[i] === 0;
      if (missing && !unparsed.has(`${i}|${spec.name}`)) {
        fail(
          i,
          spec.name,
          null,
          `${spec.name} is empty but required in ${schema.name}; fill it in`,
        );
      }
    }
  }
}

/** unique.key: `seen` holds each key of the whole file with the line it first appeared on */
export function checkUniqueKey(b: ColumnBatch, key: string, seen: FirstSeen, fail: Fail): void {
  const keys = (b.columns[key] as StringColumn).values;
  for (let i = 0; i < b.length; i++) {
    const k = keys[i];
    if (k === null || k === undefined) continue;
    const first = seen.firstLine(k, b.lines[i] ?? 0);
    if (first !== -1)
      fail(i, key, k, `${key} "${k}" repeats (first on line ${first}); keep one row per ${key}`);
  }
}

/** unique.order-product: the same product twice in one order (a legitimate second unit) */
export function checkOrderProduct(b: ColumnBatch, seen: FirstSeen, fail: Fail): void {
  const orders = (b.columns['order_id'] as StringColumn).values;
  const products = (b.columns['product_id'] as StringColumn).values;
  for (let i = 0; i < b.length; i++) {
    const o = orders[i];
    const p = products[i];
    if (o === null || o === undefined || p === null || p === undefined) continue;
    const first = seen.firstLine(o, b.lines[i] ?? 0, p);
    if (first !== -1)
      fail(
        i,
        'product_id',
        `${o}/${p}`,
        `order ${o} holds product ${p} again (first on line ${first}): a second unit, reported only`,
      );
  }
}

/** domain.order-status / domain.item-status (the decoder stores statuses lower case) */
export function checkStatus(b: ColumnBatch, fail: Fail): void {
  const values = (b.columns['status'] as StringColumn).values;
  for (let i = 0; i < b.length; i++) {
    const s = values[i];
    if (s !== null && s !== undefined && !STATUSES.has(s)) {
      fail(i, 'status', s, `status "${s}" is not one of ${STATUS_LIST}`);
    }
  }
}

/** range.non-negative over money columns */
export function checkNonNegative(b: ColumnBatch, columns: readonly string[], fail: Fail): void {
  for (const name of columns) {
    const col = b.columns[name] as NumberColumn;
    for (let i = 0; i < b.length; i++) {
      if (col.valid[i] === 1 && (col.values[i] as number) < 0) {
        const v = formatCents(col.values[i] as number);
        fail(i, name, v, `${name} is negative (${v}); amounts must be 0 or more`);
      }
    }
  }
}

/** range.num-of-item: a whole number, 0 or more */
export function checkNumOfItem(b: ColumnBatch, fail: Fail): void {
  const col = b.columns['num_of_item'] as NumberColumn;
  for (let i = 0; i < b.length; i++) {
    const v = col.values[i] as number;
    if (col.valid[i] === 1 && (v < 0 || !Number.isInteger(v))) {
      fail(
        i,
        'num_of_item',
        String(v),
        `num_of_item is ${v}; it must be a whole number, 0 or more`,
      );
    }
  }
}
