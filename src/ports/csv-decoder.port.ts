// Streams a CSV file into typed column batches (dataset told by the header).
import type { ColumnBatch, ParseFailure } from '../domain/columns.js';
import type { DatasetName } from '../domain/datasets.js';

export type FileProblemTag =
  | 'NotText' // invalid UTF-8 or NUL bytes
  | 'Empty' // no header at all
  | 'UnknownHeader' // the header matches no dataset
  | 'MissingColumns'
  | 'DuplicateColumns'
  | 'DatasetMismatch' // incoming/<dataset>/ prefix disagrees with the header
  | 'Malformed'; // e.g. an unterminated quote

export interface FileProblem {
  readonly _tag: FileProblemTag;
  /** what is wrong, where, and how to fix it */
  readonly message: string;
  readonly line?: number;
  readonly dataset?: DatasetName;
}

export type CsvDecodeEvent =
  | {
      readonly kind: 'header';
      readonly dataset: DatasetName;
      readonly columns: readonly string[];
      /** columns not in the schema (reported as schema.extra, then dropped) */
      readonly extra: readonly string[];
    }
  | {
      readonly kind: 'batch';
      readonly batch: ColumnBatch;
      readonly parseFailures: readonly ParseFailure[];
    }
  /** always the last event when present: the file is not usable CSV */
  | { readonly kind: 'problem'; readonly problem: FileProblem };

export interface CsvDecodeOptions {
  /** rows per batch */
  readonly batchSize?: number;
  /** from the incoming/<dataset>/ prefix, when present */
  readonly expectedDataset?: DatasetName;
}

export interface CsvDecoder {
  decode(
    source: AsyncIterable<Uint8Array>,
    file: string,
    options?: CsvDecodeOptions,
  ): AsyncIterable<CsvDecodeEvent>;
  /** A quarantine CSV: the original header plus `_line` and `_reasons`, holding the raw rows
   *  (as they were in the file) that start at the given source lines. */
  extractRows(
    source: AsyncIterable<Uint8Array>,
    reasons: ReadonlyMap<number, readonly string[]>,
  ): Promise<Uint8Array>;
}

export const CSV_DECODER = Symbol.for('CsvDecoder');
