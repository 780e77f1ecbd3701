// StagingCodec on parquet-wasm (zstd, row groups of 128k rows) with apache-arrow for building
// batches and arrow-js-ffi for reading them out of wasm memory without a copy.
//
// Writing streams (parquet-staging-writer.ts): each row group's Arrow batches go through the
// Arrow IPC stream format into parquet-wasm's stream writer on this thread
// (parquet-stream-encoder.ts), which encodes it while the next one gathers. What stays in memory
// is one row group of Arrow data plus the compressed Parquet bytes written so far (about a third
// of the CSV). ParquetWorkerCodec runs the same encoder on a worker thread.
import { parseRecordBatch } from 'arrow-js-ffi';
import * as pw from 'parquet-wasm';
import type { ColumnBatch } from '../../domain/columns.js';
import { SCHEMAS, type DatasetName } from '../../domain/datasets.js';
import type {
  HashedBatch,
  StagingCodec,
  StagingFileWriter,
  StagingReadOptions,
} from '../../ports/staging-codec.port.js';
import { HASH_COLUMN, LINE_COLUMN, fromRecordBatch, hashWordsOf } from './arrow-columns.js';
import { ParquetStreamEncoder } from './parquet-stream-encoder.js';
import { ParquetStagingWriter } from './parquet-staging-writer.js';

export const ROW_GROUP_ROWS = 131_072;
const READ_BATCH_ROWS = 65_536;

const hasColumn = (file: pw.ParquetFile, name: string): boolean => {
  const schema = file.schema();
  try {
    return schema.indexOf(name) >= 0;
  } catch {
    // indexOf throws for a name the schema lacks
    return false;
  } finally {
    schema.free();
  }
};

/** what ParquetFile.fromFile reads of its Blob: its size, and its slices' bytes */
interface BlobSource {
  readonly size: number;
  slice(start?: number, end?: number): BlobSource;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * The bytes as the Blob parquet-wasm reads a file through (it calls `size`, `slice` and a
 * slice's `arrayBuffer` only, then copies each range it needs into wasm memory). A real Blob
 * copies the bytes whole: the 3M-item staged file (75 MB) was held twice through its read, at
 * Validate's peak RSS (docs/performance.md, "Round 10: mem3m"). Only a range is copied here.
 */
export const blobOver = (bytes: Uint8Array): BlobSource => ({
  size: bytes.byteLength,
  slice: (start, end) => blobOver(bytes.subarray(start, end)),
  arrayBuffer: () =>
    Promise.resolve(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    ),
});

export class ParquetStagingCodec implements StagingCodec {
  /** rowGroupRows: smaller in tests, to cover files of many row groups cheaply */
  constructor(private readonly options: { readonly rowGroupRows?: number } = {}) {}

  writer(dataset: DatasetName): StagingFileWriter {
    const rowGroupRows = this.options.rowGroupRows ?? ROW_GROUP_ROWS;
    return new ParquetStagingWriter(
      dataset,
      rowGroupRows,
      () => new ParquetStreamEncoder(rowGroupRows),
    );
  }

  async *read(
    bytes: Uint8Array,
    dataset: DatasetName,
    options: StagingReadOptions = {},
  ): AsyncIterable<ColumnBatch> {
    for await (const { batch } of this.batches(bytes, dataset, options, false)) yield batch;
  }

  readHashed(
    bytes: Uint8Array,
    dataset: DatasetName,
    options: StagingReadOptions = {},
  ): AsyncIterable<HashedBatch> {
    return this.batches(bytes, dataset, options, true);
  }

  private async *batches(
    bytes: Uint8Array,
    dataset: DatasetName,
    options: StagingReadOptions,
    withHashes: boolean,
  ): AsyncIterable<HashedBatch> {
    const all = SCHEMAS[dataset].columns.map((c) => c.name);
    const columns = options.columns ?? all;
    const unknown = columns.filter((c) => !all.includes(c));
    if (unknown.length > 0) throw new Error(`${dataset} has no column(s) ${unknown.join(', ')}`);
    const file = await pw.ParquetFile.fromFile(blobOver(bytes) as unknown as Blob);
    try {
      // files staged before the hash column was written have none: their rows are hashed again
      const hashed = withHashes && hasColumn(file, HASH_COLUMN);
      // `readParquet` ignores `columns`; ParquetFile.stream honours it and yields batch by batch
      const stream = await file.stream({
        columns: [...columns, LINE_COLUMN, ...(hashed ? [HASH_COLUMN] : [])],
        batchSize: options.batchSize ?? READ_BATCH_ROWS,
      });
      for await (const wasmBatch of stream as AsyncIterable<pw.RecordBatch>) {
        const ffi = wasmBatch.intoFFI();
        try {
          // a view into wasm memory (no copy); converted to the ColumnBatch before it is freed
          const rb = parseRecordBatch(
            pw.wasmMemory().buffer,
            ffi.arrayAddr(),
            ffi.schemaAddr(),
            false,
          );
          const batch = fromRecordBatch(rb, dataset, columns, options.shared ?? []);
          yield { batch, hashes: hashed ? hashWordsOf(rb) : null };
        } finally {
          ffi.free();
        }
      }
    } finally {
      file.free();
    }
  }
}
