// `shop-pipeline report`: reads the KPIs, the status and the event log of an embedded home and
// writes one self-contained HTML file.
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReportData, type ReportData } from '../../../application/report-data.js';
import type { ReportRules } from '../../../application/report-pipeline.js';
import type { RuleCount } from '../../../domain/events.js';
import type { PipelineApp } from '../../composition/pipeline-app.js';
import { reportHtml } from './report-html.js';

export interface ReportRange {
  readonly from?: string;
  readonly to?: string;
}

export const bucketOf = (home: string): string => join(resolve(home), 'bucket');

/** the failed error rules of the verdict reports a landing event names without its rules */
const verdictRules = async (bucket: string, keys: readonly string[]): Promise<ReportRules> => {
  const rules = new Map<string, readonly RuleCount[]>();
  for (const key of keys) {
    try {
      const verdict = JSON.parse(await readFile(join(bucket, key), 'utf8')) as {
        rules?: { rule: string; severity: string; failed: number }[];
      };
      const failed = (verdict.rules ?? [])
        .filter((r) => r.severity === 'error' && r.failed > 0)
        .map(({ rule, failed: n }) => ({ rule, failed: n }));
      rules.set(key, failed);
    } catch {
      // a report moved or unreadable: the page still links to it and shows the event's own text
    }
  }
  return rules;
};

export const loadReportData = async (
  app: PipelineApp,
  home: string,
  range: ReportRange,
): Promise<ReportData> => {
  const kpis = await app.kpis();
  const status = await app.status();
  const events = await app.eventLog();
  const keys = events.flatMap((e) =>
    e.type === 'FileLanded' && e.data.quarantinedRows > 0 ? [e.data.reportKey] : [],
  );
  return buildReportData({
    kpis,
    // the range as one period, from the facts: exact averages and distinct customers over it
    periodKpis: await app.kpiRollUp(range, 'all'),
    status,
    events,
    rules: await verdictRules(bucketOf(home), keys),
    ...range,
    generatedAt: new Date().toISOString(),
  });
};

/** writes the report; returns the absolute path written */
export const writeReport = async (
  app: PipelineApp,
  home: string,
  out: string,
  range: ReportRange,
): Promise<string> => {
  const data = await loadReportData(app, home, range);
  const path = resolve(out);
  const reportBase = `${pathToFileURL(bucketOf(home)).href}/`;
  await writeFile(path, reportHtml(data, { live: false, reportBase }));
  return path;
};
