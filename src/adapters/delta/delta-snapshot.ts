// Log replay (PROTOCOL.md "Action Reconciliation"): start from the newest usable checkpoint, then
// apply the JSON commits after it in version order. Files other than commits and checkpoints
// (.crc checksums, `.tmp/` staging folders, `_last_checkpoint`) are not log entries.
import type { ObjectStore } from '../../ports/object-store.port.js';
import {
  type Action,
  type AddAction,
  type MetaDataAction,
  type ProtocolAction,
  type RemoveAction,
  type TxnAction,
  LOG_DIR,
  SUPPORTED_READER_VERSION,
  commitFileName,
  parseCommit,
} from './delta-actions.js';
import { readCheckpoint } from './delta-checkpoint.js';

export interface Snapshot {
  readonly version: number;
  readonly protocol: ProtocolAction;
  readonly metaData: MetaDataAction;
  /** live files by path, in the order they were added */
  readonly files: ReadonlyMap<string, AddAction>;
  /** remove tombstones still in the log (kept for checkpoints) */
  readonly tombstones: ReadonlyMap<string, RemoveAction>;
  readonly txns: ReadonlyMap<string, TxnAction>;
}

export class DeltaTableNotFound extends Error {
  constructor(readonly root: string) {
    super(`delta: no table at ${root} (no commit in ${LOG_DIR}/)`);
    this.name = 'DeltaTableNotFound';
  }
}

export class DeltaVersionNotFound extends Error {
  constructor(
    readonly root: string,
    readonly version: number,
  ) {
    super(`delta: version ${version} of ${root} cannot be reconstructed from the log`);
    this.name = 'DeltaVersionNotFound';
  }
}

interface LogListing {
  readonly commits: ReadonlySet<number>;
  /** version -> checkpoint keys (one for classic, all parts for multi-part) */
  readonly checkpoints: ReadonlyMap<number, readonly string[]>;
}

const COMMIT = /^(\d{20})\.json$/;
const CLASSIC_CHECKPOINT = /^(\d{20})\.checkpoint\.parquet$/;
const MULTI_PART_CHECKPOINT = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;

export const logPrefix = (root: string): string => `${root}/${LOG_DIR}/`;

export async function listLog(store: ObjectStore, root: string): Promise<LogListing> {
  const prefix = logPrefix(root);
  const commits = new Set<number>();
  const parts = new Map<number, { total: number; keys: string[] }>();
  const checkpoints = new Map<number, readonly string[]>();
  for (const { key } of await store.list(prefix)) {
    const name = key.slice(prefix.length);
    const commit = COMMIT.exec(name);
    if (commit) commits.add(Number(commit[1]));
    const classic = CLASSIC_CHECKPOINT.exec(name);
    if (classic) checkpoints.set(Number(classic[1]), [key]);
    const multi = MULTI_PART_CHECKPOINT.exec(name);
    if (multi) {
      const entry = parts.get(Number(multi[1])) ?? { total: Number(multi[3]), keys: [] };
      entry.keys.push(key);
      parts.set(Number(multi[1]), entry);
    }
  }
  // A multi-part checkpoint with a missing part is ignored (PROTOCOL.md).
  for (const [version, { total, keys }] of parts) {
    if (keys.length === total && !checkpoints.has(version)) checkpoints.set(version, keys.sort());
  }
  return { commits, checkpoints };
}

async function lastCheckpointHint(store: ObjectStore, root: string): Promise<number | null> {
  const bytes = await store.get(`${logPrefix(root)}_last_checkpoint`);
  if (!bytes) return null;
  try {
    const { version } = JSON.parse(new TextDecoder().decode(bytes)) as { version?: unknown };
    return typeof version === 'number' ? version : null;
  } catch {
    return null; // a torn or foreign hint is not fatal: the listing still finds checkpoints
  }
}

/** The newest version in the log, or null when there is no table. */
export function latestVersion(listing: LogListing): number | null {
  const versions = [...listing.commits, ...listing.checkpoints.keys()];
  return versions.length === 0 ? null : Math.max(...versions);
}

class Replay {
  protocol: ProtocolAction | null = null;
  metaData: MetaDataAction | null = null;
  readonly files = new Map<string, AddAction>();
  readonly tombstones = new Map<string, RemoveAction>();
  readonly txns = new Map<string, TxnAction>();

  apply(action: Action): void {
    if ('add' in action) {
      this.files.delete(action.add.path); // re-adding a path moves it to the end
      this.files.set(action.add.path, action.add);
      this.tombstones.delete(action.add.path);
    } else if ('remove' in action) {
      this.files.delete(action.remove.path);
      this.tombstones.set(action.remove.path, action.remove);
    } else if ('metaData' in action) this.metaData = action.metaData;
    else if ('protocol' in action) this.protocol = action.protocol;
    else if ('txn' in action) this.txns.set(action.txn.appId, action.txn);
  }
}

export async function loadSnapshot(
  store: ObjectStore,
  root: string,
  version?: number,
  listing?: LogListing,
): Promise<Snapshot> {
  const log = listing ?? (await listLog(store, root));
  const latest = latestVersion(log);
  if (latest === null) throw new DeltaTableNotFound(root);
  const target = version ?? latest;
  if (target > latest || target < 0) throw new DeltaVersionNotFound(root, target);

  const hint = await lastCheckpointHint(store, root);
  const usable = [...log.checkpoints.keys()].filter((v) => v <= target);
  const start = hint !== null && hint <= target && log.checkpoints.has(hint) ? hint : null;
  const checkpoint = start ?? (usable.length > 0 ? Math.max(...usable) : null);

  const replay = new Replay();
  if (checkpoint !== null) {
    for (const key of log.checkpoints.get(checkpoint) ?? []) {
      const bytes = await store.get(key);
      if (!bytes) throw new DeltaVersionNotFound(root, target);
      readCheckpoint(bytes).forEach((a) => replay.apply(a));
    }
  }
  for (let v = checkpoint === null ? 0 : checkpoint + 1; v <= target; v += 1) {
    if (!log.commits.has(v)) throw new DeltaVersionNotFound(root, target);
    const bytes = await store.get(`${logPrefix(root)}${commitFileName(v)}`);
    if (!bytes) throw new DeltaVersionNotFound(root, target);
    parseCommit(new TextDecoder().decode(bytes)).forEach((a) => replay.apply(a));
  }
  if (!replay.protocol || !replay.metaData) {
    throw new Error(`delta: ${root}@${target} has no protocol or metaData action`);
  }
  if (replay.protocol.minReaderVersion > SUPPORTED_READER_VERSION) {
    throw new Error(
      `delta: ${root} needs reader version ${replay.protocol.minReaderVersion} (this reader: 1)`,
    );
  }
  const { protocol, metaData, files, tombstones, txns } = replay;
  return { version: target, protocol, metaData, files, tombstones, txns };
}
