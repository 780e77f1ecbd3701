// The output formats of `kpis`. Table and JSON show both tables; CSV and Parquet hold one table
// each (order KPIs, or category KPIs with --kind category). Money leaves as exact text in CSV
// and tables (formatted from cents), as a number with at most two decimals in JSON, and as
// int64 cents in Parquet (a column name ending in _cents says so).
import * as arrow from 'apache-arrow';
import Table from 'cli-table3';
import * as pw from 'parquet-wasm';
import type { CategoryRow, KpiRows, OrderRow } from './kpi-rollup.js';

export type KpiFormat = 'table' | 'json' | 'csv' | 'parquet';
export type KpiKind = 'order' | 'category';

const STYLE = { style: { head: [] as string[], border: [] as string[], compact: true } };
const cents = (amount: number): number => Math.round(amount * 100);
const money = (amount: number): string => {
  const c = cents(amount);
  const a = Math.abs(c);
  return `${c < 0 ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
};
const rate = (n: number): string => `${(n * 100).toFixed(1)}%`;

/** the period column's name: the spec's order_date for days */
const periodName = (rows: KpiRows): string => (rows.period === 'day' ? 'order_date' : rows.period);

const orderRecord = (rows: KpiRows, r: OrderRow): Record<string, unknown> => {
  const { period, ...rest } = r;
  return { [periodName(rows)]: period, ...rest };
};
const categoryRecord = (rows: KpiRows, r: CategoryRow): Record<string, unknown> => {
  const { period, category, ...rest } = r;
  return { category, [periodName(rows)]: period, ...rest };
};

const json = (rows: KpiRows): string =>
  JSON.stringify(
    {
      order_kpis: rows.order.map((r) => orderRecord(rows, r)),
      category_kpis: rows.category.map((r) => categoryRecord(rows, r)),
      ...(rows.totals === null ? {} : { totals: orderRecord(rows, rows.totals) }),
    },
    null,
    2,
  );

const table = (rows: KpiRows): string => {
  const period = periodName(rows);
  const orders = new Table({
    head: [period, 'orders', 'revenue', 'items sold', 'return rate', 'customers'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
    ...STYLE,
  });
  const orderLine = (r: OrderRow) => [
    r.period,
    r.total_orders,
    money(r.total_revenue),
    r.total_items_sold,
    rate(r.return_rate),
    r.unique_customers,
  ];
  rows.order.forEach((r) => orders.push(orderLine(r)));
  if (rows.totals !== null) orders.push(orderLine(rows.totals));
  const categories = new Table({
    head: ['category', period, 'revenue', 'avg order value', 'return rate'],
    colAligns: ['left', 'left', 'right', 'right', 'right'],
    ...STYLE,
  });
  for (const r of rows.category)
    categories.push([
      r.category,
      r.period,
      money(r.daily_revenue),
      money(r.avg_order_value),
      rate(r.avg_return_rate),
    ]);
  const per = rows.period === 'day' ? 'per day' : `per ${rows.period}`;
  return `Order KPIs ${per}\n${orders.toString()}\n\nCategory KPIs ${per}\n${categories.toString()}`;
};

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

const MONEY = new Set(['total_revenue', 'daily_revenue', 'avg_order_value']);
const COUNTS = new Set(['total_orders', 'total_items_sold', 'unique_customers']);

const records = (rows: KpiRows, kind: KpiKind): Record<string, unknown>[] =>
  kind === 'order'
    ? [...rows.order, ...(rows.totals === null ? [] : [rows.totals])].map((r) =>
        orderRecord(rows, r),
      )
    : rows.category.map((r) => categoryRecord(rows, r));

const csv = (rows: KpiRows, kind: KpiKind): string => {
  const recs = records(rows, kind);
  const head = Object.keys(recs[0] ?? (kind === 'order' ? orderRecord(rows, emptyOrder) : {}));
  const lines = recs.map((r) =>
    head
      .map((h) => (MONEY.has(h) && typeof r[h] === 'number' ? money(r[h]) : r[h]))
      .map(csvCell)
      .join(','),
  );
  return [head.join(','), ...lines].join('\n');
};

const emptyOrder: OrderRow = {
  period: '',
  total_orders: 0,
  total_revenue: 0,
  total_items_sold: 0,
  return_rate: 0,
  unique_customers: 0,
};

const parquet = (rows: KpiRows, kind: KpiKind): Uint8Array => {
  const recs = records(rows, kind);
  const columns: Record<string, arrow.Vector> = {};
  for (const name of Object.keys(recs[0] ?? orderRecord(rows, emptyOrder))) {
    const values = recs.map((r) => r[name]);
    if (MONEY.has(name))
      columns[`${name}_cents`] = arrow.vectorFromArray(
        values.map((v) => (typeof v === 'number' ? BigInt(cents(v)) : null)),
        new arrow.Int64(),
      );
    else if (COUNTS.has(name))
      columns[name] = arrow.vectorFromArray(values as (number | null)[], new arrow.Int32());
    else if (values.every((v) => typeof v === 'string'))
      columns[name] = arrow.vectorFromArray(values as string[], new arrow.Utf8());
    else columns[name] = arrow.vectorFromArray(values as (number | null)[], new arrow.Float64());
  }
  const ipc = arrow.tableToIPC(new arrow.Table(columns), 'stream');
  return pw.writeParquet(pw.Table.fromIPCStream(ipc));
};

export const formatKpis = (
  rows: KpiRows,
  format: KpiFormat,
  kind: KpiKind = 'order',
): string | Uint8Array => {
  switch (format) {
    case 'table':
      return table(rows);
    case 'json':
      return json(rows);
    case 'csv':
      return `${csv(rows, kind)}\n`;
    case 'parquet':
      return parquet(rows, kind);
  }
};
