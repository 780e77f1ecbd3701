// Tables for people (cli-table3) and the JSON shape of `kpis --json`.
import Table from 'cli-table3';
import type { PipelineStatus } from '../../application/show-status.use-case.js';
import type { KpiSet } from '../../domain/kpi/kpi.types.js';
import type { ReplayReport } from '../../application/replay-projections.use-case.js';

// no colours (output is often piped) and no rule between rows
const STYLE = { style: { head: [] as string[], border: [] as string[], compact: true } };

const money = (n: number): string => n.toFixed(2);
const rate = (n: number): string => `${(n * 100).toFixed(1)}%`;

/** spec field names, sorted by date then category */
export const kpisJson = (kpis: KpiSet): string => {
  const order = [...kpis.order].sort((a, b) => a.order_date.localeCompare(b.order_date));
  const category = [...kpis.category].sort(
    (a, b) => a.order_date.localeCompare(b.order_date) || a.category.localeCompare(b.category),
  );
  return JSON.stringify({ order_kpis: order, category_kpis: category }, null, 2);
};

export const kpiTables = (kpis: KpiSet): string => {
  const orders = new Table({
    head: ['order_date', 'orders', 'revenue', 'items sold', 'return rate', 'customers'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
    ...STYLE,
  });
  for (const k of kpis.order) {
    orders.push([
      k.order_date,
      k.total_orders,
      money(k.total_revenue),
      k.total_items_sold,
      rate(k.return_rate),
      k.unique_customers,
    ]);
  }
  const categories = new Table({
    head: ['category', 'order_date', 'revenue', 'avg order value', 'return rate'],
    colAligns: ['left', 'left', 'right', 'right', 'right'],
    ...STYLE,
  });
  const sorted = [...kpis.category].sort(
    (a, b) => a.order_date.localeCompare(b.order_date) || a.category.localeCompare(b.category),
  );
  for (const k of sorted) {
    categories.push([
      k.category,
      k.order_date,
      money(k.daily_revenue),
      money(k.avg_order_value),
      rate(k.avg_return_rate),
    ]);
  }
  return `Order KPIs per day\n${orders.toString()}\n\nCategory KPIs per day\n${categories.toString()}`;
};

const lacks = (p: PipelineStatus['pending'][number]): string => {
  const parts: string[] = [];
  if (!p.hasOrderRow) parts.push('the order row');
  if (p.expectedItems === null)
    parts.push(`items: ${p.landedItems} landed, count unknown until the order row lands`);
  else if (p.landedItems !== p.expectedItems)
    parts.push(`${p.landedItems} of ${p.expectedItems} items`);
  if (p.missingProducts.length > 0) parts.push(`products ${p.missingProducts.join(', ')}`);
  return parts.join('; ');
};

export const statusText = (s: PipelineStatus): string => {
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
  const pending = new Table({ head: ['pending order', 'lacks'], ...STYLE });
  for (const p of s.pending.slice(0, 50)) pending.push([p.orderId, lacks(p)]);
  const events = new Table({ head: ['#', 'event', 'stream', 'v', 'at'], ...STYLE });
  for (const e of s.lastEvents)
    events.push([e.position, e.type, e.streamId.slice(0, 24), e.version, e.occurredAt]);
  return [
    `Files: ${landed} landed, ${s.files.length - landed} rejected`,
    files.toString(),
    `Groups: ${s.groups.length} (${[...byState].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`,
    `Processed orders: ${s.processedOrders}`,
    `Pending orders: ${s.pending.length}${s.pending.length > 50 ? ' (first 50 shown)' : ''}`,
    ...(s.pending.length > 0 ? [pending.toString()] : []),
    `Stale orders (pending > ${s.staleHours} h): ${s.stale.length === 0 ? 'none' : s.stale.join(', ')}`,
    'Last events',
    events.toString(),
  ].join('\n');
};

export const statusJson = (s: PipelineStatus): string =>
  JSON.stringify(
    {
      files: s.files,
      groups: s.groups,
      processed_orders: s.processedOrders,
      pending: s.pending,
      stale: s.stale,
      stale_hours: s.staleHours,
      last_events: s.lastEvents.map(({ position, type, streamId, version, occurredAt }) => ({
        position,
        type,
        streamId,
        version,
        occurredAt,
      })),
    },
    null,
    2,
  );

export const replayText = (r: ReplayReport): string =>
  r.differences.length === 0
    ? `Replayed ${r.events} events: files (${r.files}), groups (${r.groups}) and pending orders (${r.pendingOrders}) equal the live projections.`
    : `Replayed ${r.events} events: ${r.differences.length} difference(s):\n${r.differences.map((d) => `  - ${d}`).join('\n')}`;
