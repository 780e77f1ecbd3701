// Landing local files: folders are expanded to their CSV files (sorted), each file is delivered
// and the pipeline processed until idle before the next one, so a killed run loses at most the
// file in hand (and the next run finishes it).
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { datasetHint, type DeliveredContent } from '../../application/deliver-file.use-case.js';
import type { LandedFile, RejectedFile } from '../../application/land-file.use-case.js';
import { retryIo } from '../../application/retry.js';
import type { DatasetName } from '../../domain/datasets.js';
import type { RuleCount } from '../../domain/events.js';
import { headerDataset } from './header-hint.js';
import { progressOf } from './progress.js';
import type { ExpectedFile, PipelineApp } from '../composition/pipeline-app.js';
import { UsageError } from './usage-error.js';

export interface IngestSummary {
  readonly landed: number;
  readonly duplicates: number;
  readonly rejected: readonly { readonly path: string; readonly file: RejectedFile }[];
  /** landed under the quarantine-rows policy with some rows set aside */
  readonly quarantined: readonly { readonly path: string; readonly file: LandedFile }[];
  readonly groupsStarted: readonly string[];
  /** landed files with rules at `warn` that fired */
  readonly warned: readonly { readonly path: string; readonly warnings: readonly RuleCount[] }[];
}

/** CSV files under a folder, sorted; `skipped` collects the other files met on the way */
const csvFilesUnder = (dir: string, skipped: string[]): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return csvFilesUnder(path, skipped);
      if (e.isFile() && e.name.toLowerCase().endsWith('.csv')) return [path];
      if (e.isFile()) skipped.push(path);
      return [];
    });

export interface CollectedFiles {
  readonly files: string[];
  /** files inside the folders given that are not .csv (named files are always taken) */
  readonly skipped: string[];
}

export const collectCsvFiles = (paths: readonly string[]): CollectedFiles => {
  const skipped: string[] = [];
  const files = paths.flatMap((p) => {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
    return isDir ? csvFilesUnder(p, skipped) : [p];
  });
  return { files, skipped };
};

export interface Delivery {
  readonly path: string;
  readonly name: string;
  readonly dataset: DatasetName | undefined;
  /** streamed from disk, never read whole */
  readonly content: DeliveredContent;
}

export const deliveryOf = (path: string): Delivery => ({
  path,
  name: basename(path),
  dataset: datasetHint(basename(dirname(path))),
  content: () => createReadStream(path, { highWaterMark: 256 * 1024 }),
});

/** a delivery's size and dataset (its folder's, else its header's), read before its landing */
export const expectedOf = (d: Delivery): ExpectedFile[] => {
  try {
    return [{ bytes: statSync(d.path).size, dataset: d.dataset ?? headerDataset(d.path) }];
  } catch {
    return []; // gone or unreadable: its delivery says so
  }
};

export const ingest = async (
  app: PipelineApp,
  deliveries: readonly Delivery[],
  options: { readonly verbose?: boolean; readonly handleInterrupt?: boolean } = {},
): Promise<IngestSummary> => {
  const progress = progressOf(
    deliveries.length,
    options.verbose === true,
    options.handleInterrupt !== false,
  );
  try {
    // a run killed earlier may have left completed groups undispatched
    progress.phase('workflows left by an earlier run');
    const groupsStarted = [...(await app.processUntilIdle())];
    let landed = 0;
    let duplicates = 0;
    const rejected: { path: string; file: RejectedFile }[] = [];
    const quarantined: { path: string; file: LandedFile }[] = [];
    const warned: { path: string; warnings: readonly RuleCount[] }[] = [];
    for (const d of deliveries) {
      progress.file(d.path);
      // what its landing will use starts now, beside the copy into the bucket, where this thread
      // mostly waits on the disk (a hint: nothing waits for it)
      app.prepare(expectedOf(d));
      const outcome = await retryIo(() => app.deliver(d.name, d.content, d.dataset));
      if (outcome._tag === 'Left') rejected.push({ path: d.path, file: outcome.left });
      else if (outcome.right._tag === 'Duplicate') duplicates++;
      else {
        landed++;
        if (outcome.right.quarantinedRows > 0)
          quarantined.push({ path: d.path, file: outcome.right });
        if (outcome.right.warnings.length > 0)
          warned.push({ path: d.path, warnings: outcome.right.warnings });
      }
      const verdict =
        outcome._tag === 'Left'
          ? 'rejected'
          : outcome.right._tag === 'Duplicate'
            ? 'duplicate'
            : 'landed';
      progress.landed(d.path, verdict);
      const groups =
        outcome._tag === 'Right' && outcome.right.groups.length > 0 ? outcome.right.groups : [];
      if (groups.length > 0)
        progress.phase(
          `workflow of ${groups.reduce((n, g) => n + g.orderCount, 0)} completed order(s)`,
        );
      groupsStarted.push(...(await app.processUntilIdle()));
      progress.done(d.path);
    }
    // once per run: the pending scan is the costly part of a small landing
    progress.phase('stale-order check');
    await app.reportStale();
    return { landed, duplicates, rejected, quarantined, groupsStarted, warned };
  } finally {
    progress.stop();
  }
};
