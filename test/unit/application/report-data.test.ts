// The report's data: money exact to the cent from the KPIs, date ranges, the files-over-time
// buckets, and the pipeline's problems and pending orders.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReportData } from '../../../src/application/report-data.js';
import { fileActivity } from '../../../src/application/report-pipeline.js';
import { whatItLacks } from '../../../src/application/pending-order-lacks.js';
import type { PipelineStatus } from '../../../src/application/show-status.use-case.js';
import type { PipelineEvent, RecordedEvent } from '../../../src/domain/events.js';
import { computeKpis } from '../../../src/domain/kpi/compute-kpis.js';
import { rollUpTotals } from '../../../src/domain/kpi/kpi-periods.js';
import { kpisFromTotals } from '../../../src/domain/kpi/kpi-totals.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';

const DAY = 86_400_000;
const START = Date.parse('2025-03-01T00:00:00Z');
const EMPTY_STATUS: PipelineStatus = {
  files: [],
  groups: [],
  pending: [],
  stale: [],
  staleHours: 24,
  stuck: [],
  stuckAfterHours: 8.2,
  processedOrders: 0,
  lastEvents: [],
};

const factArb = fc.record({
  order: fc.integer({ min: 0, max: 9 }),
  day: fc.integer({ min: 0, max: 5 }),
  category: fc.constantFrom<string | null>('Books', 'Toys', null),
  cents: fc.integer({ min: 0, max: 99_999_999 }),
});
interface FactRow {
  order: number;
  day: number;
  category: string | null;
  cents: number;
}
const factsOf = (rows: readonly FactRow[]): Fact[] =>
  rows.map((r, i) => ({
    itemId: `i${i}`,
    orderId: `o${r.order}-${r.day}`,
    userId: `u${r.order}`,
    orderStatus: r.order % 3 === 0 ? 'returned' : 'delivered',
    orderCreatedAt: START + r.day * DAY + r.order * 1000,
    productId: 'p',
    category: r.category,
    salePriceCents: r.cents,
  }));

let position = 0;
const recorded = (e: PipelineEvent, occurredAt: string): RecordedEvent =>
  ({
    ...e,
    id: `s:${++position}`,
    streamId: 's',
    version: position,
    position,
    occurredAt,
  }) as RecordedEvent;
const landed = (at: string, quarantinedRows = 0): RecordedEvent =>
  recorded(
    {
      type: 'FileLanded',
      data: {
        fileKey: 'incoming/products.csv',
        dataset: 'products',
        contentHash: 'h',
        rows: 10,
        stagedKey: 'staging/x.parquet',
        reportKey: 'reports/files/h/verdict.json',
        warnings: [],
        quarantinedRows,
      },
    },
    at,
  );
const rejected = (at: string): RecordedEvent =>
  recorded(
    {
      type: 'FileRejected',
      data: {
        fileKey: 'incoming/orders/bad.csv',
        dataset: 'orders',
        contentHash: 'b',
        reason: 'bad dates',
        reportKey: 'reports/files/b/verdict.json',
        quarantineKey: null,
        errors: [{ rule: 'type.timestamp', failed: 3 }],
      },
    },
    at,
  );

describe('report data', () => {
  it('keeps every amount exact to the cent: days, categories, totals', () => {
    fc.assert(
      fc.property(fc.array(factArb, { minLength: 1, maxLength: 80 }), (rows) => {
        const facts = factsOf(rows);
        const data = buildReportData({
          kpis: computeKpis(facts),
          status: EMPTY_STATUS,
          events: [],
          generatedAt: '2025-04-01T00:00:00.000Z',
        });
        for (const d of data.days) {
          const cents = facts
            .filter((f) => new Date(f.orderCreatedAt).toISOString().startsWith(d.date))
            .reduce((s, f) => s + f.salePriceCents, 0);
          expect(d.revenue.cents).toBe(cents);
          expect(d.revenue.text).toBe(
            `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
          );
        }
        expect(data.period.revenue.cents).toBe(facts.reduce((s, f) => s + f.salePriceCents, 0));
        expect(data.latest?.categoriesTotal.cents).toBe(data.latest?.day.revenue.cents);
        const byCategory = data.categoryTable.reduce((s, c) => s + c.periodRevenue.cents, 0);
        expect(byCategory).toBe(data.period.revenue.cents);
      }),
    );
  });

  it('shows only the order dates within --from and --to, both inclusive', () => {
    const facts = factsOf(
      [0, 1, 2, 3, 4].map((day) => ({ order: 1, day, category: 'Toys', cents: 100 })),
    );
    const data = buildReportData({
      kpis: computeKpis(facts),
      status: EMPTY_STATUS,
      events: [],
      from: '2025-03-02',
      to: '2025-03-04',
      generatedAt: '2025-04-01T00:00:00.000Z',
    });
    expect(data.days.map((d) => d.date)).toEqual(['2025-03-02', '2025-03-03', '2025-03-04']);
    expect(data.categoryDays.map((d) => d.date)).toEqual([
      '2025-03-02',
      '2025-03-03',
      '2025-03-04',
    ]);
    expect(data.latest?.day.date).toBe('2025-03-04');
    expect(data.categoryTable).toEqual([
      expect.objectContaining({
        category: 'Toys',
        daysWithSales: 3,
        periodRevenue: { cents: 300, text: '3.00' },
      }),
    ]);
  });

  it('takes the period average order value and distinct customers from the period roll-up', () => {
    // u1 orders on day 0 (10.00 of Books) and day 1 (20.01 of Books): one customer, two orders
    const facts = factsOf([
      { order: 1, day: 0, category: 'Books', cents: 1000 },
      { order: 1, day: 1, category: 'Books', cents: 2001 },
    ]);
    const dates = ['2025-03-01', '2025-03-02'];
    const data = buildReportData({
      kpis: computeKpis(facts),
      periodKpis: kpisFromTotals(rollUpTotals(facts, dates, 'all')),
      status: EMPTY_STATUS,
      events: [],
      generatedAt: '2025-04-01T00:00:00.000Z',
    });
    expect(data.days.map((d) => d.customers)).toEqual([1, 1]);
    expect(data.period.customers).toBe(1);
    // 3001 cents over 2 orders: 1500.5 cents, half away from zero: 15.01
    expect(data.categoryTable[0]?.periodAvgOrderValue).toEqual({ cents: 1501, text: '15.01' });
    expect(data.categoryTable[0]?.latest?.avgOrderValue.text).toBe('20.01');
    const without = buildReportData({
      kpis: computeKpis(facts),
      status: EMPTY_STATUS,
      events: [],
      generatedAt: '2025-04-01T00:00:00.000Z',
    });
    expect(without.period.customers).toBeNull();
    expect(without.categoryTable[0]?.periodAvgOrderValue).toBeNull();
  });

  it('lists rejections and rows set aside with their rules and report keys', () => {
    const data = buildReportData({
      kpis: { order: [], category: [] },
      status: EMPTY_STATUS,
      events: [
        landed('2025-03-01T10:00:00.000Z'),
        landed('2025-03-01T10:01:00.000Z', 4),
        rejected('2025-03-01T10:02:00.000Z'),
      ],
      rules: new Map([
        ['reports/files/h/verdict.json', [{ rule: 'required.not-null', failed: 4 }]],
      ]),
      generatedAt: '2025-04-01T00:00:00.000Z',
    });
    expect(data.latest).toBeNull();
    expect(data.pipeline.problems).toEqual([
      expect.objectContaining({
        kind: 'rows set aside',
        rules: [{ rule: 'required.not-null', failed: 4 }],
        reportKey: 'reports/files/h/verdict.json',
      }),
      expect.objectContaining({
        kind: 'file rejected',
        detail: 'bad dates',
        rules: [{ rule: 'type.timestamp', failed: 3 }],
        reportKey: 'reports/files/b/verdict.json',
      }),
    ]);
  });
});

describe('files over time', () => {
  it('counts every landing and rejection once, empty buckets included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 400 * DAY }), fc.boolean()), {
          minLength: 1,
          maxLength: 40,
        }),
        (landings) => {
          const events = landings.map(([t, ok]) =>
            (ok ? landed : rejected)(new Date(START + t).toISOString()),
          );
          const a = fileActivity(events);
          expect(a.rows.reduce((n, r) => n + r.landed, 0)).toBe(
            landings.filter(([, ok]) => ok).length,
          );
          expect(a.rows.reduce((n, r) => n + r.rejected, 0)).toBe(
            landings.filter(([, ok]) => !ok).length,
          );
          expect(a.rows.length).toBeLessThanOrEqual(a.bucket === 'day' ? 401 : 120);
          expect(new Set(a.rows.map((r) => r.at)).size).toBe(a.rows.length);
        },
      ),
    );
  });

  it('picks minutes for an ingest, hours for a few days, days beyond', () => {
    const at = (ms: number) => new Date(START + ms).toISOString();
    expect(fileActivity([landed(at(0)), landed(at(3 * 60_000))]).rows).toEqual([
      { at: '2025-03-01 00:00', landed: 1, rejected: 0 },
      { at: '2025-03-01 00:01', landed: 0, rejected: 0 },
      { at: '2025-03-01 00:02', landed: 0, rejected: 0 },
      { at: '2025-03-01 00:03', landed: 1, rejected: 0 },
    ]);
    expect(fileActivity([landed(at(0)), rejected(at(2 * DAY))]).bucket).toBe('hour');
    expect(fileActivity([landed(at(0)), rejected(at(30 * DAY))]).bucket).toBe('day');
    expect(fileActivity([]).rows).toEqual([]);
  });
});

describe('what a pending order lacks', () => {
  it('names the order row, the missing items and the missing products', () => {
    const base = { orderId: '1', firstSeenAt: 0, missingProducts: [] as string[] };
    expect(
      whatItLacks({ ...base, hasOrderRow: false, expectedItems: null, landedItems: 2 }),
    ).toEqual(['the order row', 'items: 2 landed, count unknown until the order row lands']);
    expect(
      whatItLacks({
        ...base,
        hasOrderRow: true,
        expectedItems: 3,
        landedItems: 1,
        missingProducts: ['p9'],
      }),
    ).toEqual(['2 of 3 items (1 landed)', 'products p9']);
    expect(
      whatItLacks({
        ...base,
        hasOrderRow: true,
        expectedItems: 2,
        landedItems: 2,
        missingProducts: ['p9'],
        waitsOnRejected: ['incoming/products.csv'],
      }),
    ).toEqual(['products p9', '(rejected: incoming/products.csv)']);
    expect(whatItLacks({ ...base, hasOrderRow: true, expectedItems: 1, landedItems: 1 })).toEqual(
      [],
    );
  });
});
