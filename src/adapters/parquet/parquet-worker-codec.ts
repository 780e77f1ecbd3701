// StagingCodec whose big files are Parquet-encoded on a worker thread (parquet-encode-worker.ts),
// so parquet-wasm's encoding overlaps the landing's decode, rules and register on this thread.
// This thread still builds each row group's Arrow batches and their IPC stream buffer (as the
// inline writer does); the buffer is transferred, never cloned, and the worker feeds it to the
// same encoder with the same properties, so the file's bytes are the inline writer's.
// A file that ends before it has MIN_WORKER_ROWS rows, or any file while no core is to spare
// (node/spare-core.ts), is encoded inline. Reads stay inline (measured: docs/performance.md).
// Local composition only: the Lambda/ECS bundles would have to ship the worker entry.
import type { Worker } from 'node:worker_threads';
import type { ColumnBatch } from '../../domain/columns.js';
import type { DatasetName } from '../../domain/datasets.js';
import type {
  HashedBatch,
  StagingCodec,
  StagingFileWriter,
  StagingReadOptions,
} from '../../ports/staging-codec.port.js';
import { spareCoreSince, workerBusy } from '../node/spare-core.js';
import { ParquetStagingCodec, ROW_GROUP_ROWS } from './parquet-staging-codec.js';
import { ParquetStagingWriter } from './parquet-staging-writer.js';
import { ParquetStreamEncoder } from './parquet-stream-encoder.js';
import { WorkerRowGroupSink } from './parquet-worker-sink.js';

/**
 * Files of fewer rows are encoded inline. Encoding on the worker saves this thread ~0.6 us a
 * row (order_items); a worker's start costs 0.24 s (compiled) to 0.6 s (tsx) of the other core
 * (measured: docs/performance.md, "Round 4: parquet-worker"). The writer gathers this many rows
 * (a row group of Arrow data, ~13 MB of order_items) before it decides; it was two row groups,
 * which left the 401k-row orders file's encode nearly all after its decode (round 7).
 */
export const MIN_WORKER_ROWS = ROW_GROUP_ROWS;

export interface ParquetWorkerOptions {
  readonly rowGroupRows?: number;
  /** a file ending before it has this many rows is encoded inline (default MIN_WORKER_ROWS) */
  readonly minRows?: number;
  /** whether a core is free for a worker now (default: spareCoreSince, from construction) */
  readonly spareCore?: () => boolean;
}

export class ParquetWorkerCodec implements StagingCodec {
  private readonly inline: ParquetStagingCodec;
  private readonly spareCore: () => boolean;
  private readonly live = new Set<Worker>();
  /** a writer dropped before finish() (its landing rejected) stops its worker when collected */
  private readonly abandoned = new FinalizationRegistry<Worker>((w) => void w.terminate());

  constructor(private readonly options: ParquetWorkerOptions = {}) {
    this.inline = new ParquetStagingCodec(
      options.rowGroupRows === undefined ? {} : { rowGroupRows: options.rowGroupRows },
    );
    this.spareCore = options.spareCore ?? spareCoreSince();
  }

  writer(dataset: DatasetName): StagingFileWriter {
    const rowGroupRows = this.options.rowGroupRows ?? ROW_GROUP_ROWS;
    const minRows = this.options.minRows ?? MIN_WORKER_ROWS;
    const writer: ParquetStagingWriter = new ParquetStagingWriter(
      dataset,
      rowGroupRows,
      (rows, finishing) => {
        if ((finishing && rows < minRows) || !this.spareCore()) {
          return new ParquetStreamEncoder(rowGroupRows);
        }
        const sink = new WorkerRowGroupSink(rowGroupRows, dataset);
        const { worker } = sink;
        this.live.add(worker);
        const idle = workerBusy();
        worker.once('exit', () => {
          idle();
          this.live.delete(worker);
        });
        this.abandoned.register(writer, worker);
        return sink;
      },
      Math.max(rowGroupRows, minRows),
    );
    return writer;
  }

  read(
    bytes: Uint8Array,
    dataset: DatasetName,
    options?: StagingReadOptions,
  ): AsyncIterable<ColumnBatch> {
    return this.inline.read(bytes, dataset, options);
  }

  readHashed(
    bytes: Uint8Array,
    dataset: DatasetName,
    options?: StagingReadOptions,
  ): AsyncIterable<HashedBatch> {
    return this.inline.readHashed(bytes, dataset, options);
  }

  /** stops every worker still encoding (their writers' finish() then fails) */
  async close(): Promise<void> {
    await Promise.all([...this.live].map((w) => w.terminate()));
  }
}
