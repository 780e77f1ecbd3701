// Commit plans of the analytics tables, computed from the snapshot a commit starts from (and
// recomputed from the newer one when a concurrent commit conflicts).
import type { AddAction } from './delta-actions.js';
import type { Row } from './delta-rows.js';
import type { Snapshot } from './delta-snapshot.js';
import { type CommitPlan, partitionKey } from './delta-commit.js';
import type { DeltaTable } from './delta-table.js';

const dateKey = (date: string) => partitionKey({ order_date: date });
const dateOf = (file: AddAction) => file.partitionValues.order_date ?? null;

/** Rows of the dates listed, replacing every live file of those dates. */
export function replaceDatesPlan(
  snapshot: Snapshot | null,
  dates: readonly string[],
  rows: readonly Row[],
): CommitPlan {
  const listed = new Set(dates);
  const files = snapshot ? [...snapshot.files.values()] : [];
  return {
    operation: 'REPLACE PARTITIONS',
    removes: files.filter((f) => listed.has(dateOf(f) ?? '')),
    writes: [...listed].map((date) => ({
      partitionValues: { order_date: date },
      rows: rows.filter((r) => r.order_date === date),
    })),
    partitions: new Set([...listed].map(dateKey)),
  };
}

// A file may hold one of the ids only if its stats bracket it (strings compare like Spark's).
function mayHold(file: AddAction, column: string, ids: ReadonlySet<string>): boolean {
  if (ids.size === 0) return false;
  if (!file.stats) return true;
  const stats = JSON.parse(file.stats) as {
    minValues?: Record<string, unknown>;
    maxValues?: Record<string, unknown>;
  };
  const min = stats.minValues?.[column];
  const max = stats.maxValues?.[column];
  if (typeof min !== 'string' || typeof max !== 'string') return true;
  for (const id of ids) if (id >= min && id <= max) return true;
  return false;
}

/**
 * Merge on item_id, copy-on-write: every partition that holds a replaced order's item (or an
 * item of the new facts) or receives new facts is rewritten whole: its files are removed and
 * one file with the kept rows plus the new rows is added.
 */
export async function mergeFactsPlan(
  table: DeltaTable,
  snapshot: Snapshot | null,
  orderIds: readonly string[],
  newRows: readonly Row[],
): Promise<CommitPlan> {
  const orders = new Set([...orderIds, ...newRows.map((r) => String(r.order_id))]);
  const items = new Set(newRows.map((r) => String(r.item_id)));
  const newDates = new Set(newRows.map((r) => String(r.order_date)));
  const live = snapshot ? [...snapshot.files.values()] : [];
  const candidates = live.filter(
    (f) =>
      newDates.has(dateOf(f) ?? '') ||
      mayHold(f, 'order_id', orders) ||
      mayHold(f, 'item_id', items),
  );
  const replaced = (r: Row) => orders.has(String(r.order_id)) || items.has(String(r.item_id));
  const cache = new Map<string, Row[]>();
  const rowsOf = async (file: AddAction): Promise<Row[]> => {
    const rows = cache.get(file.path) ?? (snapshot ? await table.readFiles(snapshot, [file]) : []);
    cache.set(file.path, rows);
    return rows;
  };
  const touched = new Set(newDates);
  for (const file of candidates) {
    if (touched.has(dateOf(file) ?? '')) continue;
    if ((await rowsOf(file)).some(replaced)) touched.add(dateOf(file) ?? '');
  }
  const removes = live.filter((f) => touched.has(dateOf(f) ?? ''));
  const byDate = new Map<string, Row[]>([...touched].map((d) => [d, []]));
  for (const file of removes) {
    const kept = (await rowsOf(file)).filter((r) => !replaced(r));
    byDate.get(dateOf(file) ?? '')?.push(...kept);
  }
  for (const row of newRows) byDate.get(String(row.order_date))?.push(row);
  return {
    operation: 'MERGE',
    removes,
    writes: [...byDate].map(([date, rows]) => ({ partitionValues: { order_date: date }, rows })),
    partitions: new Set([...candidates.map((f) => dateOf(f) ?? ''), ...touched].map(dateKey)),
  };
}
