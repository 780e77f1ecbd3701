// A partition's rows as columns: one array of values per column name, in the value conventions
// of a Row (delta-rows.ts: decimals as unscaled integers, timestamps as epoch ms, dates as
// YYYY-MM-DD). The writer encodes and computes stats column by column, so a big commit (1M facts)
// never needs an object per row: facts are appended straight into their date's columns.
import type { Row } from './delta-rows.js';

export interface PartitionColumns {
  readonly length: number;
  /** column name -> one value per row; a missing column reads as all-null */
  readonly values: Readonly<Record<string, readonly unknown[]>>;
}

/** Appends rows (or values of a known shape) into growing per-column arrays. */
export class ColumnsBuilder implements PartitionColumns {
  readonly values: Record<string, unknown[]> = {};
  private readonly lists: unknown[][];
  length = 0;

  constructor(readonly names: readonly string[]) {
    this.lists = names.map((n) => (this.values[n] = []));
  }

  /** one row; a name the row lacks is null */
  pushRow(row: Row): void {
    this.names.forEach((n, i) => (this.lists[i] as unknown[]).push(row[n] ?? null));
    this.length += 1;
  }

  /** one row given as values in `names` order */
  pushValues(...values: unknown[]): void {
    for (let i = 0; i < this.lists.length; i++) (this.lists[i] as unknown[]).push(values[i]);
    this.length += 1;
  }

  /**
   * the rows `rows` of source columns (one per name, in `names` order), column by column: no
   * array per row
   */
  pushRowsOf(sources: readonly ArrayLike<unknown>[], rows: readonly number[]): void {
    this.lists.forEach((list, c) => {
      const source = sources[c] as ArrayLike<unknown>;
      if (this.length === 0) {
        // into empty columns (every date of a first commit): each array allocated at its size
        // once, instead of grown by copies that leave garbage three times the final size
        const name = this.names[c] as string;
        this.lists[c] = this.values[name] = rows.map((r) => source[r]);
      } else for (const r of rows) list.push(source[r]);
    });
    this.length += rows.length;
  }
}

/** the columns of rows (the form smaller tables and compaction use) */
export const columnsOfRows = (names: readonly string[], rows: readonly Row[]): PartitionColumns => {
  const builder = new ColumnsBuilder(names);
  for (const row of rows) builder.pushRow(row);
  return builder;
};

/** a column's values; an absent column is all-null */
export const columnValues = (columns: PartitionColumns, name: string): readonly unknown[] =>
  columns.values[name] ?? new Array<unknown>(columns.length).fill(null);

/**
 * The rows `rows` of source columns (one per name, in `names` order) as a partition's columns,
 * each copied out anew when read: the writer reads a column twice (Parquet, stats) and drops
 * it, so no copy of a big commit's columns is held between its files.
 */
export const columnsView = (
  names: readonly string[],
  sources: readonly ArrayLike<unknown>[],
  rows: readonly number[],
): PartitionColumns => {
  const values: Record<string, readonly unknown[]> = {};
  names.forEach((name, c) => {
    const source = sources[c] as ArrayLike<unknown>;
    Object.defineProperty(values, name, {
      enumerable: true,
      get: () => rows.map((r) => source[r]),
    });
  });
  return { length: rows.length, values };
};
