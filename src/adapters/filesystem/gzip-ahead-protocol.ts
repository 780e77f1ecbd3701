// Messages between the embedded bucket (gzip-ahead.ts) and its gzip-ahead worker.
import type { WireError } from '../node/worker-error.js';

/** what says a file is unchanged: a put replaces a file (a new inode), an edit moves its mtime */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

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

export const identityOf = (s: {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}): FileIdentity => ({ dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs });

export const sameFile = (a: FileIdentity, b: FileIdentity): boolean =>
  a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
