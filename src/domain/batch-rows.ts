// Row and column subsets of a typed batch, copied with plain loops into fresh columns (no
// closure or object per row: a staged file selected for a group has up to millions of rows).
import type { Column, ColumnBatch } from './columns.js';

/** the batch's rows `rows` (row numbers, in the order given) */
export const selectRows = (batch: ColumnBatch, rows: ArrayLike<number>): ColumnBatch => {
  const n = rows.length;
  const columns: Record<string, Column> = {};
  for (const [name, column] of Object.entries(batch.columns)) {
    if (column.type === 'string') {
      const from = column.values;
      const values = new Array<string | null>(n);
      for (let i = 0; i < n; i++) values[i] = from[rows[i] as number] ?? null;
      columns[name] = { type: 'string', values };
    } else {
      const values = new Float64Array(n);
      const valid = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const r = rows[i] as number;
        values[i] = column.values[r] ?? 0;
        valid[i] = column.valid[r] ?? 0;
      }
      columns[name] = { type: column.type, values, valid };
    }
  }
  const lines = new Uint32Array(n);
  for (let i = 0; i < n; i++) lines[i] = batch.lines[rows[i] as number] ?? 0;
  return { dataset: batch.dataset, length: n, columns, lines };
};

/** the words of `rows` out of per-row hash words ([lo, hi] per row, rowHashWords' layout) */
export const selectWords = (words: Uint32Array, rows: ArrayLike<number>): Uint32Array => {
  const out = new Uint32Array(2 * rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    out[2 * i] = words[2 * r] as number;
    out[2 * i + 1] = words[2 * r + 1] as number;
  }
  return out;
};

/** the batch with only the columns `names` (the column arrays are shared, not copied) */
export const projectColumns = (batch: ColumnBatch, names: readonly string[]): ColumnBatch => {
  const columns: Record<string, Column> = {};
  for (const name of names) {
    const c = batch.columns[name];
    if (c !== undefined) columns[name] = c;
  }
  return { ...batch, columns };
};
