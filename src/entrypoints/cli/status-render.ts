// `status` for people and for programs. Ids sort numerically where they are numbers (2 before
// 10); long lists are cut at --limit (default 50) unless --all, and say how many were left out.
// The JSON uses snake_case names and ISO 8601 times throughout.
import Table from 'cli-table3';
import { whatItLacks } from '../../application/pending-order-lacks.js';
import type { PipelineStatus } from '../../application/show-status.use-case.js';

const STYLE = { style: { head: [] as string[], border: [] as string[], compact: true } };

export interface ListLimit {
  /** how many entries of each long list to show; undefined: all */
  readonly limit: number | undefined;
}

/** entries of each long list shown by default (`status --limit`) */
export const DEFAULT_LIST_LIMIT = 50;
const DEFAULT: ListLimit = { limit: DEFAULT_LIST_LIMIT };

const byId = new Intl.Collator('en', { numeric: true }).compare;
const cut = <T>(items: readonly T[], l: ListLimit): T[] =>
  l.limit === undefined ? [...items] : items.slice(0, l.limit);
const iso = (epochMs: number): string => new Date(epochMs).toISOString();

const more = (shown: number, total: number): string =>
  shown < total ? ` (${shown} shown; --limit N or --all for more)` : '';

export const statusText = (s: PipelineStatus, l: ListLimit = DEFAULT): string => {
  const landed = s.files.filter((f) => f.status === 'landed').length;
  const withReasons = s.files.some((f) => f.reason !== null);
  const files = new Table({
    head: ['file', 'dataset', 'status', 'rows', ...(withReasons ? ['reason'] : [])],
    ...(withReasons ? { wordWrap: true, colWidths: [null, null, null, null, 60] } : {}),
    ...STYLE,
  });
  for (const f of s.files) {
    const row = [f.fileKey, f.dataset ?? '-', f.status, f.rows];
    files.push(withReasons ? [...row, f.reason ?? ''] : row);
  }
  const byState = new Map<string, number>();
  for (const g of s.groups) byState.set(g.status, (byState.get(g.status) ?? 0) + 1);
  const pendingAll = [...s.pending].sort((a, b) => byId(a.orderId, b.orderId));
  const pendingShown = cut(pendingAll, l);
  const pending = new Table({ head: ['pending order', 'lacks'], ...STYLE });
  for (const p of pendingShown) pending.push([p.orderId, whatItLacks(p).join('; ')]);
  const stale = [...s.stale].sort(byId);
  const staleShown = cut(stale, l);
  const events = new Table({ head: ['#', 'event', 'stream', 'v', 'at'], ...STYLE });
  for (const e of s.lastEvents)
    events.push([e.position, e.type, e.streamId.slice(0, 24), e.version, e.occurredAt]);
  return [
    `Files: ${landed} landed, ${s.files.length - landed} rejected`,
    files.toString(),
    `Groups: ${s.groups.length} (${[...byState].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`,
    `Stuck groups (not terminal, silent > ${s.stuckAfterHours} h; \`retry\` runs them): ${s.stuck.length === 0 ? 'none' : s.stuck.length}`,
    ...s.stuck.map((g) => `  ${g.groupId}: ${g.status} since ${g.stuckSince}`),
    `Processed orders: ${s.processedOrders}`,
    `Pending orders: ${s.pending.length}${more(pendingShown.length, pendingAll.length)}`,
    ...(s.pending.length > 0 ? [pending.toString()] : []),
    `Stale orders (pending > ${s.staleHours} h): ${stale.length === 0 ? 'none' : `${stale.length}${more(staleShown.length, stale.length)}`}`,
    ...(staleShown.length > 0 ? [`  ${staleShown.join(', ')}`] : []),
    'Last events',
    events.toString(),
  ].join('\n');
};

export const statusJson = (s: PipelineStatus, l: ListLimit = DEFAULT): string => {
  const pending = [...s.pending].sort((a, b) => byId(a.orderId, b.orderId));
  const stale = [...s.stale].sort(byId);
  const stuckSince = new Map(s.stuck.map((g) => [g.groupId, g.stuckSince]));
  return JSON.stringify(
    {
      files: s.files.map((f) => ({
        file_key: f.fileKey,
        content_hash: f.contentHash,
        dataset: f.dataset,
        status: f.status,
        rows: f.rows,
        reason: f.reason,
      })),
      groups: [...s.groups]
        .sort((a, b) => byId(a.groupId, b.groupId))
        .map((g) => ({
          group_id: g.groupId,
          status: g.status,
          order_count: g.orderCount,
          file_key: g.fileKey,
          error: g.error,
          last_event_at: g.lastEventAt,
          stuck_since: stuckSince.get(g.groupId) ?? null,
        })),
      stuck_total: s.stuck.length,
      stuck_after_hours: s.stuckAfterHours,
      processed_orders: s.processedOrders,
      pending_total: pending.length,
      pending: cut(pending, l).map((p) => ({
        order_id: p.orderId,
        has_order_row: p.hasOrderRow,
        expected_items: p.expectedItems,
        landed_items: p.landedItems,
        missing_products: p.missingProducts,
        first_seen_at: iso(p.firstSeenAt),
        waits_on_rejected: p.waitsOnRejected,
      })),
      stale_total: stale.length,
      stale: cut(stale, l),
      stale_hours: s.staleHours,
      last_events: s.lastEvents.map((e) => ({
        position: e.position,
        type: e.type,
        stream_id: e.streamId,
        version: e.version,
        occurred_at: e.occurredAt,
      })),
    },
    null,
    2,
  );
};
