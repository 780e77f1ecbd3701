// What crosses between ParquetWorkerCodec's writer and its encode worker
// (parquet-encode-worker.ts): each row group as a transferred Arrow IPC stream buffer, then
// `finish`; the answer is the file's bytes (transferred) or the error (node/worker-error.ts).
import type { WireError } from '../node/worker-error.js';

export interface EncodeWorkerSetup {
  readonly rowGroupRows: number;
}

export type EncodeRequest = { readonly ipc: Uint8Array } | { readonly finish: true };

export type EncodeReply =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly error: WireError };
