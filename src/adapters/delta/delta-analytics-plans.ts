// Commit plans of the analytics tables, computed from the snapshot a commit starts from (and
// recomputed from the newer one when a concurrent commit conflicts).
import { utcDate, utcDayNumber } from '../../domain/dates.js';
import type { AddAction } from './delta-actions.js';
import { FACT_COLUMNS } from './delta-analytics-rows.js';
import { ColumnsBuilder } from './delta-columns.js';
import type { FactBatch, FactFile } from './delta-fact-batch.js';
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

/**
 * ids sorted in UTF-8 byte order, the order of the stats, for range lookups. Without a UTF-16
 * unit from U+D800 up, UTF-16 order is UTF-8 order, and the native sort is several times faster
 * on a big group's 10^6 ids.
 */
const HIGH_UNITS = /[\uD800-\uFFFF]/;
const sortedIds = (ids: ReadonlySet<string>): string[] => {
  const list = [...ids];
  return list.some((id) => HIGH_UNITS.test(id)) ? list.sort(compareUtf8) : list.sort();
};

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
 * rows kept go, with the new facts of their date, into one new file per date); new facts of a
 * date go to one new file. A date left with more than MAX_SMALL_FILES small files gets its
 * untouched small files compacted into one in the same commit (dataChange: false). The new facts
 * are appended straight into their date's columns: no Row per fact.
 */
export async function mergeFactsPlan(
  table: DeltaTable,
  snapshot: Snapshot | null,
  batch: FactBatch,
): Promise<CommitPlan> {
  const live = snapshot ? [...snapshot.files.values()] : [];
  // a first commit has no file to look ids up in: no id sets (10^6 entries) and no sorting
  const orders = new Set<string>();
  const items = new Set<string>();
  if (live.length > 0) {
    for (const id of batch.orderIds()) orders.add(id);
    const [itemId, orderId] = batch.sources() as ArrayLike<string>[];
    for (let i = 0; i < batch.length; i++) {
      orders.add((orderId as ArrayLike<string>)[i] as string);
      items.add((itemId as ArrayLike<string>)[i] as string);
    }
  }
  const [orderList, itemList] = [sortedIds(orders), sortedIds(items)];
  const candidates = live.filter(
    (f) => mayHold(f, 'order_id', orderList) || mayHold(f, 'item_id', itemList),
  );
  const replaced = (r: Row) => orders.has(String(r.order_id)) || items.has(String(r.item_id));
  const rowsOf = async (files: readonly AddAction[]): Promise<Row[]> =>
    snapshot && files.length > 0 ? table.readFiles(snapshot, files) : [];
  // per date: the rows kept from rewritten files, then the new facts
  const kept = new Map<string, ColumnsBuilder>();
  const columnsOf = (date: string): ColumnsBuilder => {
    let columns = kept.get(date);
    if (columns === undefined) kept.set(date, (columns = new ColumnsBuilder(FACT_COLUMNS)));
    return columns;
  };
  const removes: AddAction[] = [];
  for (const file of candidates) {
    const rows = await rowsOf([file]);
    if (!rows.some(replaced)) continue;
    removes.push(file);
    const columns = columnsOf(dateOf(file) ?? '');
    for (const row of rows) if (!replaced(row)) columns.pushRow(row);
  }
  const byDate = new Map<string, FactFile>([...kept].map(([d, columns]) => [d, { columns }]));
  for (const [date, rows] of rowsByDate(batch.length, batch.orderCreatedAt)) {
    const builder = kept.get(date);
    // a date of new facts only (every date of a first commit) is written from the batch when the
    // writer gets to it, not held for all dates through the commit
    if (builder === undefined) byDate.set(date, batch.newDate(rows));
    else builder.pushRowsOf(batch.sources(), rows);
  }
  const rearranged = await compaction(live, removes, [...byDate.keys()], rowsOf);
  return {
    operation: 'MERGE',
    removes,
    writes: [...byDate].map(([date, file]) => ({ partitionValues: { order_date: date }, ...file })),
    rearranged,
    partitions: new Set([...candidates.map((f) => dateOf(f) ?? ''), ...byDate.keys()].map(dateKey)),
  };
}

/** the facts' row numbers per UTC date (a division per fact, a date text per day) */
function rowsByDate(length: number, createdAt: Float64Array): Map<string, number[]> {
  const byDay = new Map<number, number[]>();
  for (let i = 0; i < length; i++) {
    const day = utcDayNumber(createdAt[i] as number);
    const rows = byDay.get(day);
    if (rows === undefined) byDay.set(day, [i]);
    else rows.push(i);
  }
  // utcDate of a day's first fact: an invalid time throws, as dating each fact did
  return new Map(
    [...byDay.values()].map((rows) => [utcDate(createdAt[rows[0] as number] as number), rows]),
  );
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
