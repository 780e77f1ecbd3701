// The report page as text: self-contained (no external script, style or connection), and data
// from the shop (category names, file keys) cannot break out of its JSON script element.
import { describe, expect, it } from 'vitest';
import { buildReportData } from '../../../src/application/report-data.js';
import { reportHtml, scriptJson } from '../../../src/entrypoints/cli/report/report-html.js';

const HOSTILE = '</script><script>alert(1)</script>\u2028<!--';
const data = buildReportData({
  kpis: {
    order: [
      {
        order_date: '2025-03-01',
        total_orders: 1,
        total_revenue: 12.34,
        total_items_sold: 1,
        return_rate: 0,
        unique_customers: 1,
      },
    ],
    category: [
      {
        category: HOSTILE,
        order_date: '2025-03-01',
        daily_revenue: 12.34,
        avg_order_value: 12.34,
        avg_return_rate: 0,
      },
    ],
  },
  status: {
    files: [],
    groups: [],
    pending: [],
    stale: [],
    staleHours: 24,
    stuck: [],
    stuckAfterHours: 8.2,
    processedOrders: 1,
    lastEvents: [],
  },
  events: [],
  generatedAt: '2025-03-02T00:00:00.000Z',
});

const embedded = (html: string): unknown => {
  const m = /<script id="report-data" type="application\/json">([^]*?)<\/script>/.exec(html);
  return JSON.parse(m?.[1] ?? 'null');
};

describe('report page', () => {
  it('embeds the data so that it parses back equal, whatever the names hold', () => {
    const html = reportHtml(data, { live: false, reportBase: 'file:///home/bucket/' });
    expect(html).not.toContain('</script><script>alert(1)');
    expect(embedded(html)).toEqual(data);
    expect(scriptJson({ s: HOSTILE })).not.toMatch(/<|\u2028/);
  });

  it('loads nothing from elsewhere; only the live page may connect, to its own server', () => {
    const html = reportHtml(data, { live: false, reportBase: '/' });
    expect(html).not.toMatch(/<script[^>]*\ssrc=|<link[^>]*\shref=|@import/);
    expect(html).toContain("connect-src 'none'");
    expect(html).toMatch(/echarts/);
    expect(reportHtml(data, { live: true, reportBase: '/' })).toContain("connect-src 'self'");
  });
});
