// Tables for people (cli-table3) and the JSON shape of `kpis --json`.
import Table from 'cli-table3';
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

export { statusJson, statusText } from './status-render.js';

export const replayText = (r: ReplayReport): string =>
  r.differences.length === 0
    ? `Replayed ${r.events} events: files (${r.files}), groups (${r.groups}) and pending orders (${r.pendingOrders}) equal the live projections.`
    : `Replayed ${r.events} events: ${r.differences.length} difference(s):\n${r.differences.map((d) => `  - ${d}`).join('\n')}`;
