// Table properties holding durations (`interval 7 days`, Spark's CalendarInterval text) and the
// protocol's defaults for the ones this writer honours.
import type { MetaDataAction } from './delta-actions.js';

const HOUR = 3_600_000;
const UNIT_MS: Record<string, number> = {
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: HOUR,
  day: 24 * HOUR,
  week: 7 * 24 * HOUR,
};

/** `interval 30 days`, `interval 1 week 2 days`, `168 hours` -> ms; null when unreadable */
export function intervalMs(text: string): number | null {
  const parts = text
    .trim()
    .toLowerCase()
    .replace(/^interval\s+/, '');
  const re = /(\d+(?:\.\d+)?)\s*(millisecond|second|minute|hour|day|week)s?/g;
  let total = 0;
  let matched = '';
  for (const m of parts.matchAll(re)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    matched += m[0];
  }
  return matched.replace(/\s/g, '') === parts.replace(/\s/g, '') && matched !== '' ? total : null;
}

export const RETENTION = {
  /** removed files stay this long before vacuum may delete them */
  deletedFile: { key: 'delta.deletedFileRetentionDuration', defaultMs: 7 * 24 * HOUR },
  /** log entries older than this may be cleaned up after a checkpoint */
  log: { key: 'delta.logRetentionDuration', defaultMs: 30 * 24 * HOUR },
  /** txn (application transaction ids) older than this are expired; no default: never */
  txn: { key: 'delta.setTransactionRetentionDuration', defaultMs: null },
} as const;

export function retentionMs(
  metaData: MetaDataAction,
  which: { key: string; defaultMs: number | null },
): number | null {
  const text = metaData.configuration[which.key];
  if (text === undefined || text === null) return which.defaultMs;
  const ms = intervalMs(text);
  if (ms === null) throw new Error(`delta: table property ${which.key}=${text} is not an interval`);
  return ms;
}
