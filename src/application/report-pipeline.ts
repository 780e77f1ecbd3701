// The pipeline part of the report: files landed and rejected over time, every rejection with its
// rules and report key, groups by state, and the pending orders with what each still lacks.
import type { RecordedEvent, RuleCount } from '../domain/events.js';
import type { PipelineStatus } from './show-status.use-case.js';
import { whatItLacks } from './pending-order-lacks.js';

/** the rules that failed, per verdict report key (read from the reports where available) */
export type ReportRules = ReadonlyMap<string, readonly RuleCount[]>;

export type ActivityBucket = 'minute' | 'hour' | 'day';

export interface FileActivity {
  readonly bucket: ActivityBucket;
  /** one row per bucket from the first landing to the last, empty buckets included */
  readonly rows: readonly {
    readonly at: string;
    readonly landed: number;
    readonly rejected: number;
  }[];
}

export interface Problem {
  /** ISO-8601 UTC */
  readonly at: string;
  readonly kind: 'file rejected' | 'rows set aside' | 'group rejected' | 'group failed';
  /** file key or group id */
  readonly subject: string;
  readonly detail: string;
  readonly rules: readonly RuleCount[];
  readonly reportKey: string | null;
}

export interface PendingRow {
  readonly orderId: string;
  /** ISO-8601 UTC */
  readonly firstSeenAt: string;
  readonly lacks: readonly string[];
  readonly stale: boolean;
}

export interface PipelineView {
  readonly filesLanded: number;
  readonly filesRejected: number;
  readonly processedOrders: number;
  readonly staleHours: number;
  readonly activity: FileActivity;
  readonly problems: readonly Problem[];
  readonly groups: readonly { readonly state: string; readonly count: number }[];
  /** the first PENDING_SHOWN pending orders, by order id */
  readonly pending: readonly PendingRow[];
  readonly pendingTotal: number;
  readonly staleTotal: number;
}

export const PENDING_SHOWN = 500;
const UNIT_MS: Readonly<Record<ActivityBucket, number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};
const LABEL: Readonly<Record<ActivityBucket, (iso: string) => string>> = {
  minute: (iso) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`,
  hour: (iso) => `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00`,
  day: (iso) => iso.slice(0, 10),
};
const MAX_BUCKETS = 120;

/** the finest of minute/hour/day that keeps the chart within MAX_BUCKETS bars */
export const fileActivity = (events: readonly RecordedEvent[]): FileActivity => {
  const landings = events.filter((e) => e.type === 'FileLanded' || e.type === 'FileRejected');
  const times = landings.map((e) => Date.parse(e.occurredAt));
  if (times.length === 0) return { bucket: 'minute', rows: [] };
  const [first, last] = [Math.min(...times), Math.max(...times)];
  const bucket =
    (['minute', 'hour'] as const).find(
      (b) => Math.floor(last / UNIT_MS[b]) - Math.floor(first / UNIT_MS[b]) < MAX_BUCKETS,
    ) ?? 'day';
  const unit = UNIT_MS[bucket];
  const start = Math.floor(first / unit);
  const rows = Array.from({ length: Math.floor(last / unit) - start + 1 }, (_, i) => ({
    at: LABEL[bucket](new Date((start + i) * unit).toISOString()),
    landed: 0,
    rejected: 0,
  }));
  landings.forEach((e, i) => {
    const row = rows[Math.floor((times[i] ?? first) / unit) - start];
    if (row !== undefined && e.type === 'FileLanded') row.landed++;
    else if (row !== undefined) row.rejected++;
  });
  return { bucket, rows };
};

const problemOf = (e: RecordedEvent, rules: ReportRules): Problem | null => {
  const at = e.occurredAt;
  const fromReport = (key: string, own: readonly RuleCount[]): readonly RuleCount[] =>
    own.length > 0 ? own : (rules.get(key) ?? []);
  switch (e.type) {
    case 'FileRejected':
      return {
        at,
        kind: 'file rejected',
        subject: e.data.fileKey,
        detail: e.data.reason,
        rules: fromReport(e.data.reportKey, e.data.errors),
        reportKey: e.data.reportKey,
      };
    case 'FileLanded':
      if (e.data.quarantinedRows === 0) return null;
      return {
        at,
        kind: 'rows set aside',
        subject: e.data.fileKey,
        detail: `${e.data.quarantinedRows} row(s) set aside, ${e.data.rows} landed`,
        rules: fromReport(e.data.reportKey, []),
        reportKey: e.data.reportKey,
      };
    case 'ValidationFailed':
      return {
        at,
        kind: 'group rejected',
        subject: e.data.groupId,
        detail: 'the group failed validation',
        rules: fromReport(e.data.reportKey, e.data.errors),
        reportKey: e.data.reportKey,
      };
    case 'TransformFailed':
      return {
        at,
        kind: 'group failed',
        subject: e.data.groupId,
        detail: e.data.error,
        rules: [],
        reportKey: null,
      };
    default:
      return null;
  }
};

export const pipelineView = (
  status: PipelineStatus,
  events: readonly RecordedEvent[],
  rules: ReportRules,
): PipelineView => {
  const byState = new Map<string, number>();
  for (const g of status.groups) byState.set(g.status, (byState.get(g.status) ?? 0) + 1);
  const stale = new Set(status.stale);
  const landed = status.files.filter((f) => f.status === 'landed').length;
  return {
    filesLanded: landed,
    filesRejected: status.files.length - landed,
    processedOrders: status.processedOrders,
    staleHours: status.staleHours,
    activity: fileActivity(events),
    problems: events.flatMap((e) => problemOf(e, rules) ?? []),
    groups: [...byState]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([state, count]) => ({ state, count })),
    pending: status.pending.slice(0, PENDING_SHOWN).map((p) => ({
      orderId: p.orderId,
      firstSeenAt: new Date(p.firstSeenAt).toISOString(),
      lacks: whatItLacks(p),
      stale: stale.has(p.orderId),
    })),
    pendingTotal: status.pending.length,
    staleTotal: status.stale.length,
  };
};
