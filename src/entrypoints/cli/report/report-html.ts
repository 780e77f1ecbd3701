// One self-contained HTML page: the report data as JSON, Apache ECharts inlined, and the page's
// own script. Why ECharts: an Apache project released often, one minified file with no
// dependencies (so it can be inlined and the page needs no network), an SVG renderer (crisp,
// printable, testable in a browser), and built-in accessibility (ARIA descriptions of each chart,
// decal patterns so series are readable without colour).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReportData } from '../../../application/report-data.js';
import { CHARTS_SCRIPT } from './report-client-charts.js';
import { TABLES_SCRIPT } from './report-client-tables.js';
import { REPORT_STYLE } from './report-style.js';

let echartsSource: string | undefined;
const echarts = (): string =>
  (echartsSource ??= readFileSync(
    createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'),
    'utf8',
  ));

/** JSON that is safe inside a <script> element (no "</script>", no line separators) */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export interface PageOptions {
  /** served by `serve`: connects to /api/events for live updates */
  readonly live: boolean;
  /** prefix of a verdict report's key in links (a file: URL, or /reports/ when served) */
  readonly reportBase: string;
}

const chart = (id: string, description: string): string => `
  <figure>
    <div class="chart" id="${id}"></div>
    <details><summary>${description}: data table</summary><div id="table-${id}"></div></details>
  </figure>`;

export const reportHtml = (data: ReportData, options: PageOptions): string => {
  // no network at view time: scripts and styles are inline, and only the live view may connect
  // back to the server it came from
  const csp = `default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src ${options.live ? "'self'" : "'none'"}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>shop-pipeline KPI report</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header>
  <h1>shop-pipeline KPI report</h1>
  <p>All dates and times are <strong>UTC</strong> (an order's date is the UTC date of its
  <code>created_at</code>). Generated <time id="generated"></time>; order dates <span id="range"></span>.</p>
  <p id="live" role="status">${options.live ? 'Live: connecting.' : 'Static report (run <code>shop-pipeline serve</code> for live updates).'}</p>
  <nav><a href="#latest">Latest day</a> · <a href="#days">Per day</a> · <a href="#categories">Categories</a> · <a href="#pipeline">Pipeline</a></nav>
</header>
<main>
<section id="latest"><h2>Latest day: <span id="latest-date"></span></h2>
  <p id="period"></p>
  <div id="latest-day"></div>
  <div id="latest-categories"></div>
</section>
<section id="days"><h2>Per day</h2>
  ${chart('revenue-day', 'Revenue per day')}
  ${chart('orders-day', 'Orders per day')}
  ${chart('return-day', 'Return rate per day')}
</section>
<section id="categories"><h2>Categories</h2>
  ${chart('category-revenue', 'Revenue per category per day')}
  ${chart('aov-category', 'Average order value per category')}
  <div id="category-table"></div>
</section>
<section id="pipeline"><h2>Pipeline</h2>
  <p id="pipeline-summary"></p>
  ${chart('file-activity', 'Files landed and rejected over time')}
  <h3>Rejections</h3><div id="problems"></div>
  ${chart('group-states', 'Groups by state')}
  <h3>Pending and stale orders</h3><div id="pending"></div>
</section>
</main>
<script id="report-data" type="application/json">${scriptJson(data)}</script>
<script>${echarts()}</script>
<script>var CONFIG = ${scriptJson(options)};${CHARTS_SCRIPT}${TABLES_SCRIPT}</script>
</body>
</html>
`;
};
