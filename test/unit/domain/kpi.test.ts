import { describe, expect, it } from 'vitest';
import { isIsoDate, utcDate } from '../../../src/domain/dates.js';
import { computeKpis, NO_CATEGORY } from '../../../src/domain/kpi/compute-kpis.js';
import { joinFacts } from '../../../src/domain/kpi/join-facts.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';
import { item, order, product, sourced } from './facts-fixtures.js';
import { factsOf } from '../../../src/domain/kpi/fact-columns.js';

const shop = {
  products: [
    sourced('p.csv', 'products', [
      product('P1', 'Books'),
      product('P2', 'Toys'),
      product('P3', null),
    ]),
  ],
  orders: [
    sourced('o.csv', 'orders', [
      order('O1', 'U1', 'delivered', '2025-03-01T10:00:00Z', 2),
      // 01:30 at +02:00 is 23:30 UTC the day before: order_date 2025-03-01
      order('O2', 'U2', 'RETURNED', '2025-03-02T01:30:00+02:00', 1),
      // 22:00 at -05:00 is 03:00 UTC the next day: order_date 2025-03-02
      order('O3', 'U1', 'cancelled', '2025-03-01T22:00:00-05:00', 2),
      order('O4', 'U3', 'returned', '2025-03-02T12:00:00Z', 1),
    ]),
  ],
  items: [
    sourced('i.csv', 'order_items', [
      item('I1', 'O1', 'U1', 'P1', 10),
      item('I2', 'O1', 'U1', 'P2', 20),
      item('I3', 'O2', 'U2', 'P1', 1000),
      item('I4', 'O3', 'U1', 'P3', 555),
      item('I5', 'O3', 'U1', 'P2', 445),
      item('I6', 'O4', 'U3', 'P2', 100),
    ]),
  ],
};

describe('computeKpis (hand-computed)', () => {
  const joined = joinFacts(shop);
  const { missing } = joined;
  const facts = factsOf(joined.facts);
  const kpis = computeKpis(facts);

  it('joins every item and lower-cases the status', () => {
    expect(missing).toEqual([]);
    expect(facts.find((f) => f.itemId === 'I3')?.orderStatus).toBe('returned');
  });

  it('computes order-level KPIs per UTC order date', () => {
    expect(kpis.order).toEqual([
      {
        order_date: '2025-03-01',
        total_orders: 2,
        total_revenue: 10.3,
        total_items_sold: 3,
        return_rate: 0.5,
        unique_customers: 2,
      },
      {
        order_date: '2025-03-02',
        total_orders: 2,
        total_revenue: 11,
        total_items_sold: 3,
        return_rate: 0.5,
        unique_customers: 2,
      },
    ]);
  });

  it('computes category KPIs sorted by date then category, with (none) for missing categories', () => {
    expect(kpis.category).toEqual([
      {
        category: 'Books',
        order_date: '2025-03-01',
        daily_revenue: 10.1,
        avg_order_value: 5.05,
        avg_return_rate: 0.5,
      },
      {
        category: 'Toys',
        order_date: '2025-03-01',
        daily_revenue: 0.2,
        avg_order_value: 0.2,
        avg_return_rate: 0,
      },
      {
        category: NO_CATEGORY,
        order_date: '2025-03-02',
        daily_revenue: 5.55,
        avg_order_value: 5.55,
        avg_return_rate: 0,
      },
      // 5.45 over 2 orders = 2.725, rounded half up to whole cents
      {
        category: 'Toys',
        order_date: '2025-03-02',
        daily_revenue: 5.45,
        avg_order_value: 2.73,
        avg_return_rate: 0.5,
      },
    ]);
  });
});

const fact = (
  itemId: string,
  orderId: string,
  cents: number,
  overrides: Partial<Fact> = {},
): Fact => ({
  itemId,
  orderId,
  userId: 'U',
  orderStatus: 'delivered',
  orderCreatedAt: Date.parse('2025-03-05T08:00:00Z'),
  productId: 'P',
  category: 'Books',
  salePriceCents: cents,
  ...overrides,
});

describe('computeKpis money', () => {
  it('sums 0.10 + 0.20 to exactly 0.30', () => {
    const kpis = computeKpis([fact('a', 'o1', 10), fact('b', 'o2', 20)]);
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(kpis.order[0]?.total_revenue).toBe(0.3);
    expect(kpis.category[0]?.daily_revenue).toBe(0.3);
    expect(kpis.category[0]?.avg_order_value).toBe(0.15);
  });

  it('keeps cents exact over many small amounts', () => {
    const many = Array.from({ length: 1000 }, (_, i) => fact(`i${i}`, `o${i % 7}`, 1));
    expect(computeKpis(many).order[0]?.total_revenue).toBe(10);
  });

  it('counts a multi-category order once per category and once per day', () => {
    const kpis = computeKpis([
      fact('a', 'o1', 100, { category: 'Books' }),
      fact('b', 'o1', 300, { category: 'Toys' }),
      fact('c', 'o1', 100, { category: 'Toys' }),
    ]);
    expect(kpis.order[0]).toMatchObject({ total_orders: 1, total_items_sold: 3, total_revenue: 5 });
    expect(kpis.category.map((c) => [c.category, c.avg_order_value])).toEqual([
      ['Books', 1],
      ['Toys', 4],
    ]);
  });

  it('returns no rows for no facts', () => {
    expect(computeKpis([])).toEqual({ order: [], category: [] });
  });
});

describe('utcDate', () => {
  it('gives the UTC calendar date of an instant', () => {
    expect(utcDate(Date.parse('2025-03-02T01:30:00+02:00'))).toBe('2025-03-01');
    expect(utcDate(Date.parse('2025-03-01T23:59:59.999Z'))).toBe('2025-03-01');
    expect(utcDate(Date.parse('2025-03-02T00:00:00Z'))).toBe('2025-03-02');
    expect(utcDate(Date.parse('1969-12-31T23:00:00Z'))).toBe('1969-12-31');
  });

  it('validates YYYY-MM-DD dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-3-01')).toBe(false);
  });
});
