// StagingCodec on parquet-wasm (zstd, row groups of 128k rows) with apache-arrow for building
// batches and arrow-js-ffi for reading them out of wasm memory without a copy.
//
// Writing: parquet-wasm 0.8 offers `writeParquet(table)` (one whole Arrow table) and the async
// `transformParquetStream(ReadableStream<RecordBatch>)`. The port's writer is synchronous
// (`finish(): Uint8Array`), so batches are serialised to the compact Arrow IPC stream as they are
// appended (dictionary-encoded strings, 64-bit numbers: no JS row objects or strings stay alive),
// and `finish` hands that one IPC buffer to the Rust writer, which cuts it into row groups.
// Memory is therefore about the file's Arrow size (~100 bytes/row for order_items), not bounded
// per row group; the bench measures it (docs/performance.md).
import * as arrow from 'apache-arrow';
import { parseRecordBatch } from 'arrow-js-ffi';
import * as pw from 'parquet-wasm';
import type { ColumnBatch } from '../../domain/columns.js';
import { SCHEMAS, type DatasetName } from '../../domain/datasets.js';
import type {
  StagingCodec,
  StagingFileWriter,
  StagingReadOptions,
} from '../../ports/staging-codec.port.js';
import { LINE_COLUMN, arrowTypes, fromRecordBatch, toRecordBatch } from './arrow-columns.js';

export const ROW_GROUP_ROWS = 131_072;
const READ_BATCH_ROWS = 65_536;
const EMPTY = new Uint8Array(0);

class ParquetStagingWriter implements StagingFileWriter {
  private readonly types;
  private ipc: arrow.RecordBatchStreamWriter | undefined = new arrow.RecordBatchStreamWriter();
  private rows = 0;

  constructor(private readonly dataset: DatasetName) {
    this.types = arrowTypes(dataset);
  }

  append(batch: ColumnBatch): void {
    if (batch.dataset !== this.dataset) {
      throw new Error(`a ${batch.dataset} batch cannot go into a ${this.dataset} staging file`);
    }
    if (this.ipc === undefined) throw new Error('this staging file is already finished');
    if (batch.length === 0) return;
    this.ipc.write(toRecordBatch(batch, this.types));
    this.rows += batch.length;
  }

  finish(): Uint8Array {
    if (this.rows === 0) {
      // an empty file still carries the schema, so a reader sees the dataset's columns
      const empty = new arrow.Table(
        new arrow.Schema(
          Object.entries(this.types)
            .map(([name, type]) => new arrow.Field(name, type, true))
            .concat(new arrow.Field(LINE_COLUMN, new arrow.Uint32(), false)),
        ),
      );
      return this.write(arrow.tableToIPC(empty, 'stream'));
    }
    const writer = this.ipc;
    this.ipc = undefined; // the batches it holds can go as soon as the IPC buffer is built
    if (writer === undefined) throw new Error('this staging file is already finished');
    writer.finish();
    return this.write(writer.toUint8Array(true));
  }

  private write(ipc: Uint8Array): Uint8Array {
    const table = pw.Table.fromIPCStream(ipc);
    ipc = EMPTY; // the JS copy can be collected while the Rust writer works on the wasm copy
    const props = new pw.WriterPropertiesBuilder()
      .setCompression(pw.Compression.ZSTD)
      .setMaxRowGroupSize(ROW_GROUP_ROWS)
      .setCreatedBy('shop-pipeline')
      .build();
    return pw.writeParquet(table, props);
  }
}

export class ParquetStagingCodec implements StagingCodec {
  writer(dataset: DatasetName): StagingFileWriter {
    return new ParquetStagingWriter(dataset);
  }

  async *read(
    bytes: Uint8Array,
    dataset: DatasetName,
    options: StagingReadOptions = {},
  ): AsyncIterable<ColumnBatch> {
    const all = SCHEMAS[dataset].columns.map((c) => c.name);
    const columns = options.columns ?? all;
    const unknown = columns.filter((c) => !all.includes(c));
    if (unknown.length > 0) throw new Error(`${dataset} has no column(s) ${unknown.join(', ')}`);
    const file = await pw.ParquetFile.fromFile(new Blob([bytes]));
    try {
      // `readParquet` ignores `columns`; ParquetFile.stream honours it and yields batch by batch
      const stream = await file.stream({
        columns: [...columns, LINE_COLUMN],
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
          yield fromRecordBatch(rb, dataset, columns);
        } finally {
          ffi.free();
        }
      }
    } finally {
      file.free();
    }
  }
}
