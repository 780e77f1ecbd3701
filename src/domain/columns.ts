// A batch of typed columns: the unit the hot path works on (no row objects).
import type { DatasetName } from './datasets.js';

export interface StringColumn {
  readonly type: 'string';
  /** null = empty cell */
  readonly values: ReadonlyArray<string | null>;
}

export interface NumberColumn {
  readonly type: 'int' | 'money' | 'timestamp';
  /** int: the integer; money: integer minor units (cents); timestamp: UTC epoch ms */
  readonly values: Float64Array;
  /** 1 = a value is present, 0 = null (empty cell, or a cell that failed type.parse) */
  readonly valid: Uint8Array;
}

export type Column = StringColumn | NumberColumn;

export interface ColumnBatch {
  readonly dataset: DatasetName;
  readonly length: number;
  /** every column of the dataset schema, by name (extra CSV columns are dropped) */
  readonly columns: Readonly<Record<string, Column>>;
  /** 1-based line number in the source file where each row starts (header is line 1) */
  readonly lines: Uint32Array;
}

/** A cell that did not parse to its column type; the cell itself becomes null. */
export interface ParseFailure {
  /** row index within the batch */
  readonly row: number;
  readonly line: number;
  readonly column: string;
  readonly raw: string;
  readonly message: string;
}
