// What `ingest` prints on stderr after a run that rejected something: per file, the rule and
// where (the file named once), a hint for the usual export mistakes, how many pending orders
// wait for the kind of rows the file would have supplied, and the two ways on.
import { join } from 'node:path';
import { waitsFor } from '../../application/show-status.use-case.js';
import type { PipelineApp } from '../composition/pipeline-app.js';
import { headerHint } from './header-hint.js';
import type { IngestSummary } from './ingest.js';

/** the reason without the landing key repeated in it (the line already names the file) */
const withoutKey = (reason: string, fileKey: string): string =>
  reason.replace(`${fileKey} rejected: `, '').replaceAll(`${fileKey}, `, '');

export const rejectionSummary = async (
  app: PipelineApp,
  summary: IngestSummary,
  bucket: string,
): Promise<string[]> => {
  const lines: string[] = [];
  const status =
    summary.rejected.length + summary.groupsStarted.length > 0 ? await app.status() : null;
  for (const { path, file } of summary.rejected) {
    lines.push(`rejected ${path}: ${withoutKey(file.reason, file.fileKey)}`);
    const hint = headerHint(path);
    if (hint !== null) lines.push(`  hint: ${hint}`);
    lines.push(`  report: ${join(bucket, file.reportKey)}`);
    if (file.quarantineKey !== null)
      lines.push(`  failing rows: ${join(bucket, file.quarantineKey)}`);
    const waiting = (status?.pending ?? []).filter((p) => waitsFor(file.dataset, p)).length;
    if (waiting > 0)
      lines.push(
        `  ${waiting} pending order(s) wait for ${file.dataset} rows, which this file holds`,
      );
    if (file.dataset !== null)
      lines.push(
        '  ways on: land its good rows and set the bad ones aside ' +
          `(npx shop-pipeline --policy quarantine-rows ingest ${path}), ` +
          'or fix the rows named in the report and land the corrected file',
      );
  }
  for (const { path, file } of summary.quarantined) {
    const rules = file.errors.map((r) => `${r.rule} x${r.failed}`).join(', ');
    lines.push(`set aside ${file.quarantinedRows} row(s) of ${path}: ${rules}`);
    if (file.reportKey !== null) lines.push(`  report: ${join(bucket, file.reportKey)}`);
  }
  const started = new Set(summary.groupsStarted);
  const failed = (status?.groups ?? []).filter(
    (g) =>
      started.has(g.groupId) &&
      (g.status === 'validation-failed' || g.status === 'transform-failed'),
  );
  for (const g of failed) {
    lines.push(
      `group ${g.groupId} (${g.orderCount} orders from ${g.fileKey}) ${g.status}` +
        (g.status === 'validation-failed'
          ? `: see ${join(bucket, 'reports', g.groupId, 'verdict.json')}`
          : `: ${g.error ?? ''} (once the cause is fixed: npx shop-pipeline retry ${g.groupId})`),
    );
  }
  return lines;
};

/** warnings of the landed files (rules at `warn`): counted, so they are not missed */
export const warningSummary = (summary: IngestSummary): string[] =>
  summary.warned.map(
    ({ path, warnings }) =>
      `warning ${path}: ${warnings.map((w) => `${w.rule} x${w.failed}`).join(', ')} (landed; see status)`,
  );
