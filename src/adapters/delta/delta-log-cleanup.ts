// Metadata cleanup (PROTOCOL.md "Metadata Cleanup"): after a checkpoint, log entries older than
// delta.logRetentionDuration (default 30 days) are deleted up to the newest checkpoint that
// every unexpired version can still be rebuilt from. So time travel keeps working for every
// version committed within the retention, and the log stops growing with every commit.
// Deleted oldest first: a crash mid-way leaves a log without gaps.
import type { ObjectStore } from '../../ports/object-store.port.js';
import { parseCommit } from './delta-actions.js';
import { RETENTION, retentionMs } from './delta-retention.js';
import { type Snapshot, listLog, logPrefix } from './delta-snapshot.js';

const VERSIONED = /^(\d{20})\.(json|crc|checkpoint\.parquet|checkpoint\.\d{10}\.\d{10}\.parquet)$/;

async function commitTime(store: ObjectStore, key: string): Promise<number | null> {
  const bytes = await store.get(key);
  if (!bytes) return null;
  const info = parseCommit(new TextDecoder().decode(bytes)).find((a) => 'commitInfo' in a);
  const ts = info && 'commitInfo' in info ? info.commitInfo.timestamp : undefined;
  return typeof ts === 'number' ? ts : null;
}

/** deletes expired log files; returns their keys */
export async function cleanUpExpiredLog(
  store: ObjectStore,
  root: string,
  snapshot: Snapshot,
  now: number,
): Promise<string[]> {
  if (snapshot.metaData.configuration['delta.enableExpiredLogCleanup'] === 'false') return [];
  const cutoff = now - (retentionMs(snapshot.metaData, RETENTION.log) as number);
  const prefix = logPrefix(root);
  const log = await listLog(store, root);
  const commits = [...log.commits].filter((v) => v <= snapshot.version).sort((a, b) => a - b);
  // the first version a reader may still travel to: the oldest one committed after the cutoff
  let firstKept = snapshot.version;
  for (const v of commits) {
    const ts = await commitTime(store, `${prefix}${String(v).padStart(20, '0')}.json`);
    if (ts === null || ts > cutoff) {
      firstKept = v;
      break;
    }
  }
  const usable = [...log.checkpoints.keys()].filter((c) => c <= firstKept);
  if (usable.length === 0) return [];
  const keepFrom = Math.max(...usable);
  const expired = (await store.list(prefix))
    .map(({ key }) => ({ key, m: VERSIONED.exec(key.slice(prefix.length)) }))
    .filter(({ m }) => m !== null && Number(m[1]) < keepFrom)
    .sort((a, b) => Number(a.m?.[1]) - Number(b.m?.[1]));
  for (const { key } of expired) await store.delete(key);
  return expired.map((e) => e.key);
}
