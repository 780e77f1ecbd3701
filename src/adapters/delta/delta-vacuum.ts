// VACUUM: delete the data files the table no longer references once no reader can need them.
// A removed file is kept for the retention (delta.deletedFileRetentionDuration, default 7 days =
// 168 hours) after its removal, so time travel within it and readers still holding an older
// snapshot keep working. A file no commit mentions (a crashed or still-running writer's) is
// judged by the creation time in its name (delta-paths.ts); a file whose age cannot be told is
// kept. Like Spark, a retention below the table's is refused unless forced.
import type { ObjectStore } from '../../ports/object-store.port.js';
import { createdAt } from './delta-paths.js';
import { RETENTION, retentionMs } from './delta-retention.js';
import { dataFileKey } from './delta-rows.js';
import type { Snapshot } from './delta-snapshot.js';

export interface VacuumReport {
  readonly root: string;
  /** keys deleted */
  readonly deleted: readonly string[];
  readonly bytes: number;
  /** unreferenced files kept (younger than the retention, or of unknown age) */
  readonly kept: number;
}

export class VacuumRetentionTooShort extends Error {
  constructor(
    readonly root: string,
    readonly retainHours: number,
    readonly minimumHours: number,
  ) {
    super(
      `delta: refusing to vacuum ${root} with a retention of ${retainHours} hours, shorter than ` +
        `the table's ${minimumHours} hours: files a reader of an older version or a running ` +
        `writer still needs could be deleted (force it only when nothing else uses the table)`,
    );
    this.name = 'VacuumRetentionTooShort';
  }
}

const HOUR = 3_600_000;

// `_delta_log/`, `_change_data/`, `.tmp` files... are not data files; `_x=1/` is a partition
const hidden = (relative: string): boolean =>
  relative.split('/').some((s) => (s.startsWith('_') || s.startsWith('.')) && !s.includes('='));

export async function vacuumTable(
  store: ObjectStore,
  root: string,
  snapshot: Snapshot,
  now: number,
  options: { retainHours?: number; force?: boolean },
): Promise<VacuumReport> {
  const minimumMs = retentionMs(snapshot.metaData, RETENTION.deletedFile) as number;
  const retainMs = options.retainHours === undefined ? minimumMs : options.retainHours * HOUR;
  if (retainMs < minimumMs && !options.force) {
    throw new VacuumRetentionTooShort(root, retainMs / HOUR, minimumMs / HOUR);
  }
  const cutoff = now - retainMs;
  const live = new Set([...snapshot.files.values()].map((f) => dataFileKey(root, f.path)));
  const removedAt = new Map(
    [...snapshot.tombstones.values()].map((t) => [dataFileKey(root, t.path), t.deletionTimestamp]),
  );
  const deleted: string[] = [];
  let bytes = 0;
  let kept = 0;
  for (const { key, size } of await store.list(`${root}/`)) {
    if (live.has(key) || hidden(key.slice(root.length + 1))) continue;
    const since = removedAt.get(key) ?? createdAt(key);
    if (since === null || since === undefined || since > cutoff) {
      kept += 1;
      continue;
    }
    await store.delete(key);
    deleted.push(key);
    bytes += size;
  }
  return { root, deleted, bytes, kept };
}
