// One staged file's row groups encoded on its own worker thread (parquet-encode-worker.ts): each
// IPC buffer is transferred as it is pushed, and finish() waits for the file's bytes. The answer
// settles once: the bytes, the worker's error (wrapped, with it as the cause), or the worker's
// exit before answering; the worker is stopped after it.
import type { Worker } from 'node:worker_threads';
import type * as arrow from 'apache-arrow';
import type { DatasetName } from '../../domain/datasets.js';
import { errorOf } from '../node/worker-error.js';
import { startWorker } from '../node/worker-thread.js';
import type { EncodeReply, EncodeWorkerSetup } from './parquet-encode-protocol.js';
import { toWire } from './arrow-wire.js';
import type { RowGroupSink } from './parquet-stream-encoder.js';

const failure = (cause: Error): Error =>
  new Error(`the staging Parquet encode worker failed: ${cause.message}`, { cause });

/** the row groups of one file, sent to its own worker; the answer settles once */
export class WorkerRowGroupSink implements RowGroupSink {
  private readonly answer: Promise<Uint8Array>;

  readonly worker: Worker;

  /** dataset: the file's, so batches can be sent as buffers (pushBatches) */
  constructor(rowGroupRows: number, dataset?: DatasetName) {
    const setup: EncodeWorkerSetup =
      dataset === undefined ? { rowGroupRows } : { rowGroupRows, dataset };
    const worker = startWorker(import.meta.url, './parquet-encode-worker', setup);
    this.worker = worker;
    this.answer = new Promise<Uint8Array>((resolve, reject) => {
      let answered = false;
      const settle = (bytes: Uint8Array | null, error: Error | null) => {
        if (answered) return;
        answered = true;
        void worker.terminate();
        if (bytes !== null) resolve(bytes);
        else reject(error ?? new Error('no answer'));
      };
      worker.on('message', (reply: EncodeReply) =>
        reply.ok ? settle(reply.bytes, null) : settle(null, failure(errorOf(reply.error))),
      );
      worker.on('error', (e) => settle(null, failure(e)));
      worker.on('exit', (code) =>
        settle(
          null,
          new Error(
            `the staging Parquet encode worker stopped (exit code ${code}) before answering`,
          ),
        ),
      );
    });
    // an abandoned writer (a landing rejected midway) must not hold the process open: the worker
    // is ref'd only while finish() waits for it (unref'd after its listeners are on: adding a
    // 'message' listener refs the worker's port again)
    worker.unref();
    // surfaced by finish(); never an unhandled rejection in between
    this.answer.catch(() => undefined);
  }

  push(ipc: Uint8Array): void {
    // transferred: the whole ArrayBuffer moves, so it must be this view's alone
    const own =
      ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? ipc : ipc.slice();
    this.worker.postMessage({ ipc: own }, [own.buffer as ArrayBuffer]);
  }

  /** the batches as their buffers (transferred): the worker makes their IPC buffer */
  pushBatches(batches: readonly arrow.RecordBatch[]): void {
    const { wire, transfer } = toWire(batches);
    this.worker.postMessage({ batches: wire }, transfer);
  }

  finish(): Promise<Uint8Array> {
    this.worker.ref();
    this.worker.postMessage({ finish: true });
    return this.answer;
  }
}
