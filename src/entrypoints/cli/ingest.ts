// Landing local files: folders are expanded to their CSV files (sorted), each file is delivered
// and the pipeline processed until idle before the next one, so a killed run loses at most the
// file in hand (and the next run finishes it).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { datasetHint } from '../../application/deliver-file.use-case.js';
import type { LandedFile, RejectedFile } from '../../application/land-file.use-case.js';
import { retryIo } from '../../application/retry.js';
import type { DatasetName } from '../../domain/datasets.js';
import type { PipelineApp } from '../composition/pipeline-app.js';
import { UsageError } from './usage-error.js';

export interface IngestSummary {
  readonly landed: number;
  readonly duplicates: number;
  readonly rejected: readonly { readonly path: string; readonly file: RejectedFile }[];
  /** landed under the quarantine-rows policy with some rows set aside */
  readonly quarantined: readonly { readonly path: string; readonly file: LandedFile }[];
  readonly groupsStarted: readonly string[];
}

const csvFilesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return csvFilesUnder(path);
      return e.isFile() && e.name.toLowerCase().endsWith('.csv') ? [path] : [];
    });

export const collectCsvFiles = (paths: readonly string[]): string[] =>
  paths.flatMap((p) => {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
    return isDir ? csvFilesUnder(p) : [p];
  });

export interface Delivery {
  readonly path: string;
  readonly name: string;
  readonly dataset: DatasetName | undefined;
  readonly bytes: () => Uint8Array;
}

export const deliveryOf = (path: string): Delivery => ({
  path,
  name: basename(path),
  dataset: datasetHint(basename(dirname(path))),
  bytes: () => readFileSync(path),
});

export const ingest = async (
  app: PipelineApp,
  deliveries: readonly Delivery[],
): Promise<IngestSummary> => {
  // a run killed earlier may have left completed groups undispatched
  const groupsStarted = [...(await app.processUntilIdle())];
  const bar =
    process.stderr.isTTY && deliveries.length > 3
      ? new SingleBar({
          format: 'landing {bar} {value}/{total} files | {file}',
          stream: process.stderr,
        })
      : null;
  bar?.start(deliveries.length, 0, { file: '' });
  let landed = 0;
  let duplicates = 0;
  const rejected: { path: string; file: RejectedFile }[] = [];
  const quarantined: { path: string; file: LandedFile }[] = [];
  for (const d of deliveries) {
    bar?.update({ file: d.name });
    const outcome = await retryIo(() => app.deliver(d.name, d.bytes(), d.dataset));
    if (outcome._tag === 'Left') rejected.push({ path: d.path, file: outcome.left });
    else if (outcome.right._tag === 'Duplicate') duplicates++;
    else {
      landed++;
      if (outcome.right.quarantinedRows > 0)
        quarantined.push({ path: d.path, file: outcome.right });
    }
    groupsStarted.push(...(await app.processUntilIdle()));
    bar?.increment();
  }
  bar?.stop();
  // once per run: the pending scan is the costly part of a small landing
  await app.reportStale();
  return { landed, duplicates, rejected, quarantined, groupsStarted };
};

/** the rejection summary for stderr; empty when nothing was rejected */
export const rejectionSummary = async (
  app: PipelineApp,
  summary: IngestSummary,
  bucket: string,
): Promise<string[]> => {
  const lines: string[] = [];
  for (const { path, file } of summary.rejected) {
    lines.push(`rejected ${path} (${file.fileKey}): ${file.reason}`);
    lines.push(`  report: ${join(bucket, file.reportKey)}`);
    if (file.quarantineKey !== null)
      lines.push(`  failing rows: ${join(bucket, file.quarantineKey)}`);
  }
  for (const { path, file } of summary.quarantined) {
    const rules = file.errors.map((r) => `${r.rule} x${r.failed}`).join(', ');
    lines.push(`set aside ${file.quarantinedRows} row(s) of ${path} (${file.fileKey}): ${rules}`);
    if (file.reportKey !== null) lines.push(`  report: ${join(bucket, file.reportKey)}`);
  }
  if (summary.groupsStarted.length > 0) {
    const started = new Set(summary.groupsStarted);
    const failed = (await app.status()).groups.filter(
      (g) =>
        started.has(g.groupId) &&
        (g.status === 'validation-failed' || g.status === 'transform-failed'),
    );
    for (const g of failed) {
      lines.push(
        `group ${g.groupId.slice(0, 12)} (${g.orderCount} orders from ${g.fileKey}) ${g.status}` +
          (g.status === 'validation-failed'
            ? `: see ${join(bucket, 'reports', g.groupId, 'verdict.json')}`
            : `: ${g.error ?? ''} (once the cause is fixed: shop-pipeline retry ${g.groupId})`),
      );
    }
  }
  return lines;
};
