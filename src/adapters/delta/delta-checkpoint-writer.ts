// Writes `<version>.checkpoint.parquet` and then `_last_checkpoint` for a reconciled snapshot.
// The checkpoint is written after its commit landed (PROTOCOL.md): a reader that misses it, or
// finds it half-way, still has every JSON commit.
import type { ObjectStore } from '../../ports/object-store.port.js';
import { type Action, type TxnAction, checkpointFileName } from './delta-actions.js';
import { RETENTION, retentionMs } from './delta-retention.js';
import { writeCheckpoint } from './delta-checkpoint.js';
import { type Snapshot, logPrefix } from './delta-snapshot.js';

/** txn entries not expired by delta.setTransactionRetentionDuration (none expire without it) */
export function unexpiredTxns(snapshot: Snapshot, now: number): ReadonlyMap<string, TxnAction> {
  const retention = retentionMs(snapshot.metaData, RETENTION.txn);
  if (retention === null) return snapshot.txns;
  return new Map(
    [...snapshot.txns].filter(([, t]) => t.lastUpdated == null || t.lastUpdated > now - retention),
  );
}

export function checkpointActions(snapshot: Snapshot, now: number): Action[] {
  // tombstones stay in checkpoints as long as vacuum must keep their files
  const tombstoneMs = retentionMs(snapshot.metaData, RETENTION.deletedFile) as number;
  const actions: Action[] = [{ protocol: snapshot.protocol }, { metaData: snapshot.metaData }];
  for (const txn of unexpiredTxns(snapshot, now).values()) actions.push({ txn });
  for (const add of snapshot.files.values()) actions.push({ add: { ...add, dataChange: false } });
  for (const remove of snapshot.tombstones.values()) {
    if ((remove.deletionTimestamp ?? now) > now - tombstoneMs) {
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
