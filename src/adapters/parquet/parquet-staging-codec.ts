// StagingCodec on parquet-wasm (zstd, row groups of 128k rows) with apache-arrow for building
// batches and arrow-js-ffi for reading them out of wasm memory without a copy.
//
// Writing streams: appended batches are kept as compact Arrow record batches only until a row
// group's worth (128k rows) has gathered; that slice goes through the Arrow IPC stream format
// into wasm and on to parquet-wasm's `transformParquetStream`, whose Rust writer encodes and
// flushes the row group while the next one is decoded. What stays in memory is one row group of
// Arrow data plus the compressed Parquet bytes written so far (about a third of the CSV), not
// the whole file's Arrow data (~100 bytes per order_items row before).
import * as arrow from 'apache-arrow';
import { parseRecordBatch } from 'arrow-js-ffi';
import * as pw from 'parquet-wasm';
import type { ColumnBatch } from '../../domain/columns.js';
import { SCHEMAS, type DatasetName } from '../../domain/datasets.js';
import { rowHashWords } from '../../domain/row-hashes.js';
import type {
  HashedBatch,
  StagingCodec,
  StagingFileWriter,
  StagingReadOptions,
} from '../../ports/staging-codec.port.js';
import {
  DICTIONARY_COLUMNS,
  HASH_COLUMN,
  LINE_COLUMN,
  arrowTypes,
  fromRecordBatch,
  hashWordsOf,
  toRecordBatch,
} from './arrow-columns.js';

export const ROW_GROUP_ROWS = 131_072;
const READ_BATCH_ROWS = 65_536;

// Parquet dictionary encoding only for the low-cardinality columns (those Arrow already holds as
// dictionaries), and format 2 pages (delta encodings for ints, timestamps and strings). On ids,
// timestamps and prices the writer built a dictionary per column chunk, outgrew the page limit
// and fell back to plain anyway. Measured on the 1M-row order_items file, encoding CPU and file
// size: dictionaries everywhere 1.6-2.3 s, 29.7 MB; on the low-cardinality columns only 0.8 s,
// 20.7 MB; plus format 2 pages 0.6 s, 17.0 MB. Reading back costs the same (1.2 s).
const writerProperties = (rowGroupRows: number): pw.WriterProperties => {
  let builder = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression.ZSTD)
    .setMaxRowGroupSize(rowGroupRows)
    .setDictionaryEnabled(false)
    .setWriterVersion(pw.WriterVersion.V2)
    .setCreatedBy('shop-pipeline');
  for (const column of DICTIONARY_COLUMNS)
    builder = builder.setColumnDictionaryEnabled(column, true);
  return builder.build();
};

/** Arrow record batches -> wasm record batches, through one IPC stream buffer */
const toWasm = (batches: readonly arrow.RecordBatch[]): pw.RecordBatch[] => {
  const table = pw.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table(batches), 'stream'));
  try {
    return table.recordBatches();
  } finally {
    table.free();
  }
};

class ParquetStagingWriter implements StagingFileWriter {
  private readonly types;
  private pending: arrow.RecordBatch[] = [];
  private pendingRows = 0;
  private rows = 0;
  private finished = false;
  private input: ReadableStreamDefaultController<pw.RecordBatch> | undefined;
  private output: Promise<Uint8Array[]> | undefined;

  constructor(
    private readonly dataset: DatasetName,
    private readonly rowGroupRows: number,
  ) {
    this.types = arrowTypes(dataset);
  }

  append(batch: ColumnBatch, hashes?: Uint32Array): void {
    if (batch.dataset !== this.dataset) {
      throw new Error(`a ${batch.dataset} batch cannot go into a ${this.dataset} staging file`);
    }
    if (this.finished) throw new Error('this staging file is already finished');
    if (batch.length === 0) return;
    this.pending.push(toRecordBatch(batch, this.types, hashes ?? rowHashWords(batch)));
    this.pendingRows += batch.length;
    this.rows += batch.length;
    if (this.pendingRows >= this.rowGroupRows) this.flush();
  }

  async finish(): Promise<Uint8Array> {
    if (this.finished) throw new Error('this staging file is already finished');
    this.finished = true;
    if (this.rows === 0) return this.empty();
    this.flush();
    this.input?.close();
    const chunks = (await this.output) ?? [];
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** hands the gathered batches to the Rust writer (started by the first flush) */
  private flush(): void {
    if (this.pending.length === 0) return;
    const wasm = toWasm(this.pending);
    this.pending = [];
    this.pendingRows = 0;
    if (this.input === undefined) this.start();
    for (const b of wasm) this.input?.enqueue(b);
  }

  private start(): void {
    const stream = new ReadableStream<pw.RecordBatch>({
      start: (controller) => {
        this.input = controller;
      },
    });
    this.output = (async () => {
      const parquet = (await pw.transformParquetStream(
        stream,
        writerProperties(this.rowGroupRows),
      )) as ReadableStream<Uint8Array>;
      const chunks: Uint8Array[] = [];
      // read as it is produced, so written row groups leave wasm memory at once
      for await (const chunk of parquet as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
      return chunks;
    })();
    // surfaced by finish(); never an unhandled rejection in between
    this.output.catch(() => undefined);
  }

  private empty(): Uint8Array {
    // an empty file still carries the schema, so a reader sees the dataset's columns
    const empty = new arrow.Table(
      new arrow.Schema(
        Object.entries(this.types)
          .map(([name, type]) => new arrow.Field(name, type, true))
          .concat(new arrow.Field(LINE_COLUMN, new arrow.Uint32(), false))
          .concat(new arrow.Field(HASH_COLUMN, new arrow.Int64(), false)),
      ),
    );
    const table = pw.Table.fromIPCStream(arrow.tableToIPC(empty, 'stream'));
    return pw.writeParquet(table, writerProperties(this.rowGroupRows));
  }
}

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

export class ParquetStagingCodec implements StagingCodec {
  /** rowGroupRows: smaller in tests, to cover files of many row groups cheaply */
  constructor(private readonly options: { readonly rowGroupRows?: number } = {}) {}

  writer(dataset: DatasetName): StagingFileWriter {
    return new ParquetStagingWriter(dataset, this.options.rowGroupRows ?? ROW_GROUP_ROWS);
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
    const file = await pw.ParquetFile.fromFile(new Blob([bytes]));
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
