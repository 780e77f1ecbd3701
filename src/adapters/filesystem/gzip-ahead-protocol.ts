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
