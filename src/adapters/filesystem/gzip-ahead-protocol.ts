// Messages between the embedded bucket (gzip-ahead.ts) and its gzip-ahead worker.
import type { BigIntStats } from 'node:fs';
import type { WireError } from '../node/worker-error.js';

/**
 * What says a file is unchanged: its device, inode, size, and modification and change times in
 * nanoseconds. A put renames a new file into place (another inode); an edit in place moves the
 * times. The embedded bucket's `revision` is this string too.
 */
export type FileIdentity = string;

/** gzip the file at `from` into the new file `temp` (its folder is made if missing) */
export interface GzipAheadRequest {
  readonly id: number;
  readonly from: string;
  readonly temp: string;
  /** the gzip's part size (tests); the store's default otherwise */
  readonly partBytes?: number;
}

/** the temp file is complete and synced, made from the file as `identity` says */
export type GzipAheadReply =
  | { readonly id: number; readonly ok: true; readonly identity: FileIdentity }
  | { readonly id: number; readonly ok: false; readonly error: WireError };

export const identityOf = (s: BigIntStats): FileIdentity =>
  `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;

/**
 * The worker's state, one Int32 shared with the store (its workerData). The store stops the
 * worker only once it is out of its gzip: a worker thread terminated while Node constructs a
 * zlib stream (each part's deflateRawSync makes one) aborts the whole process ("close before
 * init", node_zlib.cc; seen once in CI with the register worker's brotli streams). So the store
 * asks (BUSY -> STOP_ASKED), the worker checks between parts, drops its job and parks (STOPPED,
 * then it never starts another), and only then is it terminated.
 */
export const WorkerState = {
  /** waiting for a job: nothing of zlib under way */
  IDLE: 0,
  /** gzipping a file */
  BUSY: 1,
  /** the store asked a busy worker to stop: it drops its job at the next part */
  STOP_ASKED: 2,
  /** parked for good: safe to terminate */
  STOPPED: 3,
} as const;
