// What crosses between ParquetWorkerCodec's writer and its encode worker
// (parquet-encode-worker.ts): the file's record batches as their transferred buffers (arrow-wire.ts;
// or an Arrow IPC stream buffer, transferred), then `finish`; the answer is the file's bytes
// (transferred) or the error (node/worker-error.ts).
import type { DatasetName } from '../../domain/datasets.js';
import type { WireError } from '../node/worker-error.js';
import type { WireBatch } from './arrow-wire.js';

export interface EncodeWorkerSetup {
  readonly rowGroupRows: number;
  /** the staged file's dataset (its columns' types), for batches sent as buffers */
  readonly dataset?: DatasetName;
}

export type EncodeRequest =
  | { readonly ipc: Uint8Array }
  | { readonly batches: readonly WireBatch[] }
  | { readonly finish: true };

export type EncodeReply =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly error: WireError };
