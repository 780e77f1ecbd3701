// Delta table maintenance of an embedded home (`shop-pipeline delta vacuum`): the Delta tables
// under <home>/bucket/delta/, without opening the pipeline's state.
import { join, resolve } from 'node:path';
import { DeltaAnalyticsTables } from '../../adapters/delta/delta-analytics-tables.js';
import { VacuumRetentionTooShort, type VacuumReport } from '../../adapters/delta/delta-vacuum.js';
import { FileSystemObjectStore } from '../../adapters/filesystem/filesystem-object-store.js';

export type { VacuumReport };

/** reports per table, or the refusal message when the retention is below the table's */
export const vacuumLocalDelta = async (
  home: string,
  options: { retainHours?: number; force?: boolean },
): Promise<{ reports: VacuumReport[] } | { refused: string }> => {
  const objects = new FileSystemObjectStore(join(resolve(home), 'bucket'));
  try {
    return { reports: await new DeltaAnalyticsTables(objects).vacuum(options) };
  } catch (e) {
    if (e instanceof VacuumRetentionTooShort) return { refused: e.message };
    throw e;
  }
};
