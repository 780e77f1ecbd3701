// The sample shop fed through the group rules and the KPIs: its data is consistent by
// construction, and the KPIs account for every item and cent.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { SCHEMAS, type DatasetName } from '../../../src/domain/datasets.js';
import type { GroupData } from '../../../src/domain/group-data.js';
import { computeKpis } from '../../../src/domain/kpi/compute-kpis.js';
import { joinFacts } from '../../../src/domain/kpi/join-facts.js';
import { sampleShop } from '../../../src/domain/sample/sample-shop.js';
import { validateGroup } from '../../../src/domain/validation/group-rules.js';
import { parseInteger, parseMoney, parseTimestamp } from '../../../src/domain/values.js';
import { sourced, type Cell, type RowLiteral } from './facts-fixtures.js';
import { factsOf } from '../../../src/domain/kpi/fact-columns.js';

const typed = (dataset: DatasetName, lines: Iterable<string>): RowLiteral[] => {
  const raw = parse([...lines].join('\n'), { columns: true }) as Record<string, string>[];
  return raw.map((r) => {
    const row: Record<string, Cell> = {};
    for (const c of SCHEMAS[dataset].columns) {
      const v = r[c.name] ?? '';
      if (v === '') row[c.name] = null;
      else if (c.type === 'string') row[c.name] = v;
      else {
        const parsed =
          c.type === 'money'
            ? parseMoney(v)
            : c.type === 'int'
              ? parseInteger(v)
              : parseTimestamp(v);
        if (typeof parsed === 'string') throw new Error(`${dataset}.${c.name} ${v}: ${parsed}`);
        row[c.name] = parsed;
      }
    }
    return row;
  });
};

describe('sample shop through group rules and KPIs', () => {
  const shop = sampleShop({ orders: 200, seed: 3, days: 3 });
  const data: GroupData = {
    orders: [sourced('orders.csv', 'orders', typed('orders', shop.orders))],
    items: [sourced('items.csv', 'order_items', typed('order_items', shop.orderItems))],
    products: [sourced('products.csv', 'products', typed('products', shop.products))],
  };

  it('passes every group rule', () => {
    const verdict = validateGroup('sample', data);
    expect(verdict.rules.filter((r) => r.failed > 0)).toEqual([]);
    expect(verdict.ok).toBe(true);
  });

  it('accounts for every order, item and cent', () => {
    const joined = joinFacts(data);
    const { missing } = joined;
    const facts = factsOf(joined.facts);
    expect(missing).toEqual([]);
    const kpis = computeKpis(facts);
    const items = data.items[0]?.batch.length ?? 0;
    expect(kpis.order.map((d) => d.order_date)).toEqual(['2025-03-01', '2025-03-02', '2025-03-03']);
    expect(kpis.order.reduce((s, d) => s + d.total_orders, 0)).toBe(200);
    expect(kpis.order.reduce((s, d) => s + d.total_items_sold, 0)).toBe(items);
    const cents = facts.reduce((s, f) => s + f.salePriceCents, 0);
    expect(kpis.order.reduce((s, d) => s + Math.round(d.total_revenue * 100), 0)).toBe(cents);
  });
});
