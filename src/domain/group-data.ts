// The staged data of one group, as typed batches tagged with the file they came from.
import type { ColumnBatch, NumberColumn, StringColumn } from './columns.js';

export interface SourcedBatch {
  readonly file: string;
  readonly batch: ColumnBatch;
  /** each row's content hash as [lo, hi] words (rowHashWords' layout), when the loader has it */
  readonly hashes?: Uint32Array;
}

/** how many rows the batches hold together */
export const rowCount = (sources: readonly SourcedBatch[]): number =>
  sources.reduce((n, s) => n + s.batch.length, 0);

export interface GroupData {
  readonly orders: readonly SourcedBatch[];
  readonly items: readonly SourcedBatch[];
  readonly products: readonly SourcedBatch[];
}

const EMPTY_STRINGS: StringColumn = { type: 'string', values: [] };

/** The string column `name`; an absent column reads as all-null. */
export const stringColumn = (batch: ColumnBatch, name: string): StringColumn => {
  const c = batch.columns[name];
  if (c === undefined) return EMPTY_STRINGS;
  if (c.type !== 'string')
    throw new Error(`column ${name} of ${batch.dataset} is ${c.type}, not string`);
  return c;
};

/** The numeric column `name`; an absent column reads as all-null. */
export const numberColumn = (batch: ColumnBatch, name: string): NumberColumn => {
  const c = batch.columns[name];
  if (c === undefined) {
    return {
      type: 'int',
      values: new Float64Array(batch.length),
      valid: new Uint8Array(batch.length),
    };
  }
  if (c.type === 'string') throw new Error(`column ${name} of ${batch.dataset} is not numeric`);
  return c;
};

/** The numeric value at `row`, or null when the cell is empty/invalid. */
export const numberAt = (c: NumberColumn, row: number): number | null =>
  c.valid[row] === 1 ? (c.values[row] as number) : null;
