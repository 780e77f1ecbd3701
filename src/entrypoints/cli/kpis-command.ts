// `kpis`: the filter (date, category matched case-insensitively), an explicit message when
// nothing matches, optional roll-ups and totals, and the output format (table, json, csv,
// parquet) to stdout or a file.
import { writeFileSync } from 'node:fs';
import type { KpiSet } from '../../domain/kpi/kpi.types.js';
import type { PipelineApp } from '../composition/pipeline-app.js';
import type { KpiFormat, KpiKind } from './kpi-formats.js';
import { kpiRows, type Period } from './kpi-rollup.js';
import { UsageError } from './usage-error.js';

export interface KpisOptions {
  readonly date?: string;
  readonly category?: string;
  readonly json: boolean;
  readonly format?: KpiFormat;
  readonly out?: string;
  readonly by: Period;
  readonly kind: KpiKind;
  readonly totals: boolean;
  readonly source: 'store' | 'delta';
}

/** exit code of `kpis` when no KPI matches the filter (documented in docs/operations.md) */
export const NO_KPIS_EXIT = 4;

const emptyMessage = (all: KpiSet, o: KpisOptions, home: string): string => {
  if (all.order.length === 0)
    return (
      `no KPIs in ${home} yet: no order has been processed. ` +
      '`npx shop-pipeline status` shows pending orders and what they wait on (e.g. a rejected file)'
    );
  const dates = all.order.map((k) => k.order_date);
  return `no KPIs for ${o.date ?? 'this filter'}: KPIs exist from ${dates[0]} to ${dates.at(-1)}`;
};

/** the category as the store spells it; a UsageError naming the known ones when unknown */
const resolveCategory = (all: KpiSet, wanted: string): string => {
  const known = [...new Set(all.category.map((k) => k.category))].sort();
  const match = known.find((c) => c.toLowerCase() === wanted.toLowerCase());
  if (match === undefined)
    throw new UsageError(
      `unknown category "${wanted}"; known categories: ${known.map((c) => JSON.stringify(c)).join(', ') || '(none yet)'}`,
    );
  return match;
};

export const runKpis = async (
  app: PipelineApp,
  o: KpisOptions,
  home: string,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> => {
  const format: KpiFormat = o.format ?? (o.json ? 'json' : 'table');
  if (format === 'parquet' && o.out === undefined)
    throw new UsageError('--format parquet needs --out FILE (Parquet is binary)');
  const all = await app.kpis({}, o.source);
  const category = o.category === undefined ? undefined : resolveCategory(all, o.category);
  const filter = { ...(o.date ? { date: o.date } : {}), ...(category ? { category } : {}) };
  const kpis = await app.kpis(filter, o.source);
  if (kpis.order.length === 0 && kpis.category.length === 0) {
    err(emptyMessage(all, o, home));
    if (format !== 'json' || o.out !== undefined) return NO_KPIS_EXIT;
  }
  // weeks, months and totals come from the facts of the selected days, not from adding days up
  const rows = kpiRows(
    o.by === 'day' ? kpis : await app.kpiRollUp(filter, o.by, o.source),
    o.by,
    o.totals ? await app.kpiRollUp(filter, 'all', o.source) : null,
  );
  const { formatKpis } = await import('./kpi-formats.js');
  const bytes = formatKpis(rows, format, o.kind);
  if (o.out === undefined) out(typeof bytes === 'string' ? bytes : '');
  else {
    writeFileSync(o.out, bytes);
    err(`wrote ${o.out}`);
  }
  return kpis.order.length === 0 && kpis.category.length === 0 ? NO_KPIS_EXIT : 0;
};
