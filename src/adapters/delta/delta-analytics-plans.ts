// Commit plans of the analytics tables, computed from the snapshot a commit starts from (and
// recomputed from the newer one when a concurrent commit conflicts).
import type { AddAction } from './delta-actions.js';
import type { Row } from './delta-rows.js';
import type { Snapshot } from './delta-snapshot.js';
import { type CommitPlan, partitionKey } from './delta-commit.js';
import { compareUtf8 } from './delta-stats.js';
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

/** ids sorted in UTF-8 byte order, the order of the stats, for range lookups */
const sortedIds = (ids: ReadonlySet<string>): string[] => [...ids].sort(compareUtf8);

// A file may hold one of the ids only if its stats bracket one (binary search in the sorted ids).
function mayHold(file: AddAction, column: string, ids: readonly string[]): boolean {
  if (ids.length === 0) return false;
  if (!file.stats) return true;
  const stats = JSON.parse(file.stats) as {
    minValues?: Record<string, unknown>;
    maxValues?: Record<string, unknown>;
  };
  const min = stats.minValues?.[column];
  const max = stats.maxValues?.[column];
  if (typeof min !== 'string' || typeof max !== 'string') return true;
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareUtf8(ids[mid] as string, min) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < ids.length && compareUtf8(ids[lo] as string, max) <= 0;
}

/** a partition holding more than this many small files gets them compacted into one */
export const MAX_SMALL_FILES = 8;
/** files below this size are small (readers like files of 128 MB to 1 GB) */
export const SMALL_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Merge on item_id. Only the files holding a replaced order's or item's row are rewritten (the
 * rows kept go, with the new rows of their date, into one new file per date); new rows of a date
 * go to one new file. A date left with more than MAX_SMALL_FILES small files gets its untouched
 * small files compacted into one in the same commit (dataChange: false).
 */
export async function mergeFactsPlan(
  table: DeltaTable,
  snapshot: Snapshot | null,
  orderIds: readonly string[],
  newRows: readonly Row[],
): Promise<CommitPlan> {
  const orders = new Set([...orderIds, ...newRows.map((r) => String(r.order_id))]);
  const items = new Set(newRows.map((r) => String(r.item_id)));
  const live = snapshot ? [...snapshot.files.values()] : [];
  const [orderList, itemList] = [sortedIds(orders), sortedIds(items)];
  const candidates = live.filter(
    (f) => mayHold(f, 'order_id', orderList) || mayHold(f, 'item_id', itemList),
  );
  const replaced = (r: Row) => orders.has(String(r.order_id)) || items.has(String(r.item_id));
  const rowsOf = async (files: readonly AddAction[]): Promise<Row[]> =>
    snapshot && files.length > 0 ? table.readFiles(snapshot, files) : [];
  const byDate = new Map<string, Row[]>();
  // push, never spread: a date of a big group gets ~10^5 rows, one at a time
  const add = (date: string, rows: readonly Row[]) => {
    const list = byDate.get(date);
    if (list) for (const row of rows) list.push(row);
    else byDate.set(date, [...rows]);
  };
  const removes: AddAction[] = [];
  for (const file of candidates) {
    const rows = await rowsOf([file]);
    if (!rows.some(replaced)) continue;
    removes.push(file);
    add(
      dateOf(file) ?? '',
      rows.filter((r) => !replaced(r)),
    );
  }
  for (const row of newRows) add(String(row.order_date), [row]);
  const rearranged = await compaction(live, removes, [...byDate.keys()], rowsOf);
  return {
    operation: 'MERGE',
    removes,
    writes: [...byDate].map(([date, rows]) => ({ partitionValues: { order_date: date }, rows })),
    rearranged,
    partitions: new Set([...candidates.map((f) => dateOf(f) ?? ''), ...byDate.keys()].map(dateKey)),
  };
}

async function compaction(
  live: readonly AddAction[],
  removed: readonly AddAction[],
  dates: readonly string[],
  rowsOf: (files: readonly AddAction[]) => Promise<Row[]>,
): Promise<NonNullable<CommitPlan['rearranged']>> {
  const gone = new Set(removed.map((f) => f.path));
  const removes: AddAction[] = [];
  const writes: { partitionValues: { order_date: string }; rows: Row[] }[] = [];
  for (const date of dates) {
    const small = live.filter(
      (f) => dateOf(f) === date && !gone.has(f.path) && f.size < SMALL_FILE_BYTES,
    );
    // +1: the file this commit adds to the date
    if (small.length + 1 <= MAX_SMALL_FILES) continue;
    removes.push(...small);
    writes.push({ partitionValues: { order_date: date }, rows: await rowsOf(small) });
  }
  return { removes, writes };
}
