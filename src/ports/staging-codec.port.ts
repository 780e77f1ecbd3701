// Typed columnar files (Parquet) for staged data.
import type { ColumnBatch } from '../domain/columns.js';
import type { DatasetName } from '../domain/datasets.js';

export interface StagingFileWriter {
  append(batch: ColumnBatch): void;
  /** the complete file (asynchronous: a writer may encode row groups while batches arrive) */
  finish(): Promise<Uint8Array>;
}

export interface StagingReadOptions {
  /** only these columns (others are not decoded) */
  readonly columns?: readonly string[];
  readonly batchSize?: number;
}

export interface StagingCodec {
  writer(dataset: DatasetName): StagingFileWriter;
  /** batches carry the dataset's columns (or the selected ones); `lines` keeps source lines */
  read(
    bytes: Uint8Array,
    dataset: DatasetName,
    options?: StagingReadOptions,
  ): AsyncIterable<ColumnBatch>;
}

export const STAGING_CODEC = Symbol.for('StagingCodec');
