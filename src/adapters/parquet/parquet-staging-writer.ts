// A staged file's writer: appended batches are kept as compact Arrow record batches only until the
// first flush (a row group's worth, 128k rows, by default); they go, as one Arrow IPC stream
// buffer, to a RowGroupSink: the Parquet encoder on this thread (ParquetStagingCodec) or on a
// worker (ParquetWorkerCodec), and each batch after them goes as it comes. What stays in memory
// here is at most the first flush's Arrow data, not the whole file's (~100 bytes per order_items
// row before).
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import type { ColumnBatch } from '../../domain/columns.js';
import type { DatasetName } from '../../domain/datasets.js';
import { rowHashWords } from '../../domain/row-hashes.js';
import type { StagingFileWriter } from '../../ports/staging-codec.port.js';
import { HASH_COLUMN, LINE_COLUMN, arrowTypes, toRecordBatch } from './arrow-columns.js';
import {
  type RowGroupSink,
  ipcStreamOf,
  stagingWriterProperties,
} from './parquet-stream-encoder.js';

/**
 * Opens the sink at the first flush: `rows` appended so far, `finishing` when the file ended
 * before the first flush was due (so its size is known: all of it is in this one buffer).
 */
export type OpenSink = (rows: number, finishing: boolean) => RowGroupSink;

export class ParquetStagingWriter implements StagingFileWriter {
  private readonly types;
  private pending: arrow.RecordBatch[] = [];
  private pendingRows = 0;
  private rows = 0;
  private finished = false;
  private sink: RowGroupSink | undefined;

  constructor(
    private readonly dataset: DatasetName,
    private readonly rowGroupRows: number,
    private readonly open: OpenSink,
    /** rows gathered before the first flush (a worker codec decides on a file's size then);
     *  how batches are grouped into buffers never changes the file's bytes */
    private readonly firstFlushRows: number = rowGroupRows,
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
    // once the sink is open each batch goes at once: the encoder takes record batches one by
    // one whatever buffers they came in, so the bytes are the same, and a worker encodes while
    // the file decodes instead of a row group behind it (what is left at finish is one batch)
    if (this.sink !== undefined || this.pendingRows >= this.firstFlushRows) this.flush(false);
  }

  async finish(): Promise<Uint8Array> {
    if (this.finished) throw new Error('this staging file is already finished');
    this.finished = true;
    if (this.rows === 0) return this.empty();
    this.flush(true);
    return (this.sink as RowGroupSink).finish();
  }

  /** hands the batches gathered to the sink (opened by the first flush) */
  private flush(finishing: boolean): void {
    if (this.pending.length === 0) return;
    const batches = this.pending;
    this.pending = [];
    this.pendingRows = 0;
    this.sink ??= this.open(this.rows, finishing);
    if (this.sink.pushBatches !== undefined) this.sink.pushBatches(batches);
    else this.sink.push(ipcStreamOf(batches));
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
    return pw.writeParquet(table, stagingWriterProperties(this.rowGroupRows));
  }
}
