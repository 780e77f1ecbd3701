// Writes `<version>.checkpoint.parquet` and then `_last_checkpoint` for a reconciled snapshot.
// The checkpoint is written after its commit landed (PROTOCOL.md): a reader that misses it, or
// finds it half-way, still has every JSON commit.
import type { ObjectStore } from '../../ports/object-store.port.js';
import { type Action, checkpointFileName } from './delta-actions.js';
import { writeCheckpoint } from './delta-checkpoint.js';
import { type Snapshot, logPrefix } from './delta-snapshot.js';

/** Tombstones younger than this stay in checkpoints (Delta's default deletedFileRetentionDuration). */
const TOMBSTONE_RETENTION_MS = 7 * 24 * 3600 * 1000;

export function checkpointActions(snapshot: Snapshot, now: number): Action[] {
  const actions: Action[] = [{ protocol: snapshot.protocol }, { metaData: snapshot.metaData }];
  for (const txn of snapshot.txns.values()) actions.push({ txn });
  for (const add of snapshot.files.values()) actions.push({ add: { ...add, dataChange: false } });
  for (const remove of snapshot.tombstones.values()) {
    if ((remove.deletionTimestamp ?? now) > now - TOMBSTONE_RETENTION_MS) {
      actions.push({ remove: { ...remove, dataChange: false } });
    }
  }
  return actions;
}

export async function writeCheckpointFor(
  store: ObjectStore,
  root: string,
  snapshot: Snapshot,
  now: number,
): Promise<void> {
  const actions = checkpointActions(snapshot, now);
  await store.put(
    `${logPrefix(root)}${checkpointFileName(snapshot.version)}`,
    writeCheckpoint(actions),
  );
  const hintKey = `${logPrefix(root)}_last_checkpoint`;
  const current = await store.get(hintKey);
  const previous = current
    ? ((JSON.parse(new TextDecoder().decode(current)) as { version?: number }).version ?? -1)
    : -1;
  // never move the hint backwards when a slower writer checkpoints an older version
  if (previous < snapshot.version) {
    await store.put(hintKey, JSON.stringify({ version: snapshot.version, size: actions.length }));
  }
}
