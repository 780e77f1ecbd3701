// Delta table maintenance of an embedded home (`shop-pipeline delta vacuum`): the Delta tables
// under <home>/bucket/delta/, without opening the pipeline's state. It holds the home's writer
// lock while it runs: an ingest's Delta commit writes its data files before the log entry that
// references them, and a short retention (`--retain-hours 0 --force`) would delete them between.
import { join, resolve } from 'node:path';
import { acquireHomeLock } from '../../adapters/filesystem/home-lock.js';
import { DeltaAnalyticsTables } from '../../adapters/delta/delta-analytics-tables.js';
import { VacuumRetentionTooShort, type VacuumReport } from '../../adapters/delta/delta-vacuum.js';
import { FileSystemObjectStore } from '../../adapters/filesystem/filesystem-object-store.js';

export type { VacuumReport };

/** reports per table, or the refusal message when the retention is below the table's */
export const vacuumLocalDelta = async (
  home: string,
  options: { retainHours?: number; force?: boolean },
  /** how long to wait for another writer of the home (HomeLockHeld after that) */
  lock: { waitMs: number; command: string },
): Promise<{ reports: VacuumReport[] } | { refused: string }> => {
  const objects = new FileSystemObjectStore(join(resolve(home), 'bucket'));
  const held = await acquireHomeLock(resolve(home), lock);
  try {
    return { reports: await new DeltaAnalyticsTables(objects).vacuum(options) };
  } catch (e) {
    if (e instanceof VacuumRetentionTooShort) return { refused: e.message };
    throw e;
  } finally {
    held.release();
  }
};
