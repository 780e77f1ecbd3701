// Typed columnar files (Parquet) for staged data.
import type { ColumnBatch } from '../domain/columns.js';
import type { DatasetName } from '../domain/datasets.js';

export interface StagingFileWriter {
  /** `hashes`: the rows' content hashes (rowHashWords) when the caller has them; the writer
   *  computes them otherwise: every staged file carries them, so a reader never hashes again */
  append(batch: ColumnBatch, hashes?: Uint32Array): void;
  /** the complete file (asynchronous: a writer may encode row groups while batches arrive) */
  finish(): Promise<Uint8Array>;
}

export interface StagingReadOptions {
  /** only these columns (others are not decoded) */
  readonly columns?: readonly string[];
  readonly batchSize?: number;
  /**
   * string columns whose values repeat across the file (ids of reference data): equal values
   * of one batch decode to one shared string instead of a string per row
   */
  readonly shared?: readonly string[];
}

export interface StagingCodec {
  writer(dataset: DatasetName): StagingFileWriter;
  /** batches carry the dataset's columns (or the selected ones); `lines` keeps source lines */
  read(
    bytes: Uint8Array,
    dataset: DatasetName,
    options?: StagingReadOptions,
  ): AsyncIterable<ColumnBatch>;
  /** as read, each batch with its rows' content hashes as stored ([lo, hi] words per row,
   *  rowHashWords' layout); null for a file written before staged files carried them */
  readHashed(
    bytes: Uint8Array,
    dataset: DatasetName,
    options?: StagingReadOptions,
  ): AsyncIterable<HashedBatch>;
}

export interface HashedBatch {
  readonly batch: ColumnBatch;
  readonly hashes: Uint32Array | null;
}

export const STAGING_CODEC = Symbol.for('StagingCodec');
