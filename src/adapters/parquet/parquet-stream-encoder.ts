// The staging files' Parquet encoder: row groups arrive as Arrow IPC stream buffers and go into
// parquet-wasm's `transformParquetStream`, whose Rust writer encodes and flushes each row group
// while the next one is decoded. One class for both threads: the inline writer feeds it on the
// main thread, the encode worker (parquet-encode-worker.ts) on its own, from the same buffers
// with the same properties, so both give the same bytes.
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { DICTIONARY_COLUMNS } from './arrow-columns.js';
import { concatTyped } from '../../domain/typed-arrays.js';

// Parquet dictionary encoding only for the low-cardinality columns (those Arrow already holds as
// dictionaries), and format 2 pages (delta encodings for ints, timestamps and strings). On ids,
// timestamps and prices the writer built a dictionary per column chunk, outgrew the page limit
// and fell back to plain anyway. Measured on the 1M-row order_items file, encoding CPU and file
// size: dictionaries everywhere 1.6-2.3 s, 29.7 MB; on the low-cardinality columns only 0.8 s,
// 20.7 MB; plus format 2 pages 0.6 s, 17.0 MB. Reading back costs the same (1.2 s).
// No statistics and LZ4_RAW instead of zstd (round 11): a staged file is only ever read whole
// (no predicate reads its min/max or page index), and the encode runs beside the decode and the
// register on a 2-core host, so its CPU is the landing's wall. 1M order_items rows, 7 rounds
// interleaved in one process: zstd with page statistics 1.07-1.80 s (median 1.39), zstd without
// 0.97-1.16 s, LZ4_RAW without 0.77-0.97 s (median 0.86); 25.1 -> 27.4 MB (+9%).
export const stagingWriterProperties = (rowGroupRows: number): pw.WriterProperties => {
  let builder = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression.LZ4_RAW)
    .setStatisticsEnabled(pw.EnabledStatistics.None)
    .setMaxRowGroupSize(rowGroupRows)
    .setDictionaryEnabled(false)
    .setWriterVersion(pw.WriterVersion.V2)
    .setCreatedBy('shop-pipeline');
  for (const column of DICTIONARY_COLUMNS)
    builder = builder.setColumnDictionaryEnabled(column, true);
  return builder.build();
};

/** Arrow record batches as one IPC stream buffer (what crosses into wasm, or to the worker) */
export const ipcStreamOf = (batches: readonly arrow.RecordBatch[]): Uint8Array =>
  arrow.tableToIPC(new arrow.Table(batches), 'stream');

/** where a staging writer sends its row groups, each as an Arrow IPC stream buffer */
export interface RowGroupSink {
  /** the buffer is handed over: the sink may transfer it, and the caller must not read it again */
  push(ipc: Uint8Array): void;
  /** in place of push(ipcStreamOf(batches)), where the sink makes the IPC buffer itself; the
   *  batches are handed over: their buffers may be transferred */
  pushBatches?(batches: readonly arrow.RecordBatch[]): void;
  /** the Parquet file of everything pushed (at least one buffer) */
  finish(): Promise<Uint8Array>;
}

export class ParquetStreamEncoder implements RowGroupSink {
  private input: ReadableStreamDefaultController<pw.RecordBatch> | undefined;
  private output: Promise<Uint8Array[]> | undefined;

  constructor(private readonly rowGroupRows: number) {}

  push(ipc: Uint8Array): void {
    const table = pw.Table.fromIPCStream(ipc);
    let batches: pw.RecordBatch[];
    try {
      batches = table.recordBatches();
    } finally {
      table.free();
    }
    if (this.input === undefined) this.start();
    for (const b of batches) this.input?.enqueue(b);
  }

  async finish(): Promise<Uint8Array> {
    if (this.output === undefined) throw new Error('nothing was pushed to the Parquet encoder');
    this.input?.close();
    // one exact-size ArrayBuffer (not Buffer.concat, which may answer a slice of its shared
    // pool for a small result): the worker transfers the whole buffer
    return concatTyped(await this.output, Uint8Array);
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
        stagingWriterProperties(this.rowGroupRows),
      )) as ReadableStream<Uint8Array>;
      const chunks: Uint8Array[] = [];
      // read as it is produced, so written row groups leave wasm memory at once
      for await (const chunk of parquet as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
      return chunks;
    })();
    // surfaced by finish(); never an unhandled rejection in between
    this.output.catch(() => undefined);
  }
}
