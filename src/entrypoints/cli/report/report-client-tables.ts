// Browser code of the report (plain ES2020, inlined into the page): a text table for every chart,
// the latest day's KPI table, the sortable category table, the pipeline tables, and the live
// updates (server-sent events) when the page is served. Text is set with textContent only.
export const TABLES_SCRIPT = String.raw`
function h(tag, attrs, children) {
  var e = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
  (children || []).forEach(function (c) {
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  });
  return e;
}
function table(caption, headers, rows, foot) {
  var t = h('table', {}, [h('caption', {}, [caption]),
    h('thead', {}, [h('tr', {}, headers.map(function (x) { return h('th', { scope: 'col' }, [x]); }))]),
    h('tbody', {}, rows.map(function (r) { return h('tr', {}, r.map(cell)); }))]);
  if (foot) t.appendChild(h('tfoot', {}, [h('tr', {}, foot.map(cell))]));
  return t;
}
function cell(c) {
  if (c && typeof c === 'object' && c.nodeType) return h('td', {}, [c]);
  if (c && typeof c === 'object') return h('td', c.attrs || {}, [c.text]);
  return h('td', {}, [c === null || c === undefined ? '' : c]);
}
function put(id, node) { var e = document.getElementById(id); e.replaceChildren(node); }
function dataTables(d) {
  put('table-revenue-day', table('Revenue per day', ['Order date (UTC)', 'Revenue'],
    d.days.map(function (r) { return [r.date, r.revenue.text]; })));
  put('table-orders-day', table('Orders per day', ['Order date (UTC)', 'Orders'],
    d.days.map(function (r) { return [r.date, r.orders]; })));
  put('table-return-day', table('Return rate per day', ['Order date (UTC)', 'Return rate'],
    d.days.map(function (r) { return [r.date, pct(r.returnRate)]; })));
  put('table-category-revenue', table('Revenue per category per day', ['Order date (UTC)', 'Category', 'Revenue'],
    d.categoryDays.map(function (r) { return [r.date, r.category, r.revenue.text]; })));
  put('table-aov-category', table('Average order value per category', ['Category', 'Whole period', 'Latest day'],
    d.categoryTable.map(function (r) {
      return [r.category, r.periodAvgOrderValue ? r.periodAvgOrderValue.text : '-', r.latest ? r.latest.avgOrderValue.text : '-'];
    })));
  put('table-file-activity', table('Files per ' + d.pipeline.activity.bucket + ' (UTC)', ['Time (UTC)', 'Landed', 'Rejected'],
    d.pipeline.activity.rows.map(function (r) { return [r.at, r.landed, r.rejected]; })));
  put('table-group-states', table('Groups by state', ['State', 'Groups'],
    d.pipeline.groups.map(function (r) { return [r.state, r.count]; })));
}
function field(name, text, raw) { return { text: text, attrs: { 'data-field': name, 'data-value': String(raw) } }; }
function latestDay(d) {
  if (!d.latest) {
    document.getElementById('latest-date').textContent = 'none';
    document.getElementById('period').textContent = '';
    put('latest-day', h('p', {}, ['No KPIs yet: no order in range has been processed.']));
    put('latest-categories', h('p', {}, []));
    return;
  }
  var k = d.latest.day;
  document.getElementById('latest-date').textContent = k.date + ' (UTC)';
  put('latest-day', table('KPIs of ' + k.date + ' (UTC order date)', ['Orders', 'Revenue', 'Items sold', 'Return rate', 'Unique customers'],
    [[field('total_orders', k.orders, k.orders), field('total_revenue', k.revenue.text, k.revenue.text),
      field('total_items_sold', k.itemsSold, k.itemsSold), field('return_rate', pct(k.returnRate), k.returnRate),
      field('unique_customers', k.customers, k.customers)]]));
  put('latest-categories', table('Categories on ' + k.date + ' (UTC)', ['Category', 'Revenue', 'Average order value', 'Return rate'],
    d.latest.categories.map(function (r) {
      return [r.category, field('daily_revenue', r.revenue.text, r.revenue.text),
        field('avg_order_value', r.avgOrderValue.text, r.avgOrderValue.text), field('avg_return_rate', pct(r.returnRate), r.returnRate)];
    }), ['Total, all categories', field('total_revenue', d.latest.categoriesTotal.text, d.latest.categoriesTotal.text), '', '']));
  document.getElementById('period').textContent = d.days.length + ' day(s), ' + d.period.orders +
    ' orders, ' + d.period.itemsSold + ' items sold, revenue ' + d.period.revenue.text +
    (d.period.customers === null ? '' : ', ' + d.period.customers + ' distinct customers');
}
var sortState = { key: 'category', dir: 1 };
var COLUMNS = [
  ['category', 'Category', function (r) { return r.category; }, function (r) { return r.category; }],
  ['period', 'Revenue in period', function (r) { return r.periodRevenue.cents; }, function (r) { return r.periodRevenue.text; }],
  ['days', 'Days with sales', function (r) { return r.daysWithSales; }, function (r) { return r.daysWithSales; }],
  ['aovPeriod', 'Average order value in period', function (r) { return r.periodAvgOrderValue ? r.periodAvgOrderValue.cents : -1; }, function (r) { return r.periodAvgOrderValue ? r.periodAvgOrderValue.text : '-'; }],
  ['latest', 'Revenue, latest day', function (r) { return r.latest ? r.latest.revenue.cents : -1; }, function (r) { return r.latest ? r.latest.revenue.text : '-'; }],
  ['aov', 'Average order value, latest day', function (r) { return r.latest ? r.latest.avgOrderValue.cents : -1; }, function (r) { return r.latest ? r.latest.avgOrderValue.text : '-'; }],
  ['returns', 'Return rate, latest day', function (r) { return r.latest ? r.latest.returnRate : -1; }, function (r) { return r.latest ? pct(r.latest.returnRate) : '-'; }]
];
function categoryTable(d) {
  var col = COLUMNS.filter(function (c) { return c[0] === sortState.key; })[0];
  var rows = d.categoryTable.slice().sort(function (a, b) {
    var x = col[2](a), y = col[2](b);
    return (x < y ? -1 : x > y ? 1 : 0) * sortState.dir;
  });
  var head = h('tr', {}, COLUMNS.map(function (c) {
    var sorted = c[0] === sortState.key;
    var b = h('button', { type: 'button', 'data-sort': c[0] }, [c[1] + (sorted ? (sortState.dir > 0 ? ' \u25B2' : ' \u25BC') : '')]);
    b.addEventListener('click', function () {
      sortState = { key: c[0], dir: sorted ? -sortState.dir : 1 };
      categoryTable(current);
    });
    return h('th', { scope: 'col', 'aria-sort': sorted ? (sortState.dir > 0 ? 'ascending' : 'descending') : 'none' }, [b]);
  }));
  put('category-table', h('table', {}, [h('caption', {}, ['Categories (click a heading to sort)']), h('thead', {}, [head]),
    h('tbody', {}, rows.map(function (r) { return h('tr', {}, COLUMNS.map(function (c) { return cell(c[3](r)); })); }))]));
}
function reportLink(key) {
  if (!key) return '';
  return h('a', { href: CONFIG.reportBase + key, title: key }, [key.split('/').slice(-2).join('/')]);
}
function pipelineTables(d) {
  var p = d.pipeline;
  document.getElementById('pipeline-summary').textContent = 'Files: ' + p.filesLanded + ' landed, ' + p.filesRejected +
    ' rejected. Orders processed: ' + p.processedOrders + '. Pending: ' + p.pendingTotal + '. Stale (pending over ' +
    p.staleHours + ' h): ' + p.staleTotal + '.';
  put('problems', p.problems.length === 0 ? h('p', {}, ['No rejections.']) : table('Rejections and rows set aside',
    ['When (UTC)', 'What', 'File or group', 'Detail', 'Rules', 'Report'],
    p.problems.map(function (x) {
      return [x.at, x.kind, x.subject, x.detail,
        x.rules.map(function (r) { return r.rule + ' x' + r.failed; }).join(', '), reportLink(x.reportKey)];
    })));
  var shown = p.pendingTotal > p.pending.length ? ' (first ' + p.pending.length + ' shown)' : '';
  var open = document.getElementById('pending-list');
  var wasOpen = open ? open.open : p.pendingTotal <= 20;
  put('pending', p.pendingTotal === 0 ? h('p', {}, ['No pending orders.']) : h('details', wasOpen ? { id: 'pending-list', open: '' } : { id: 'pending-list' }, [
    h('summary', {}, [p.pendingTotal + ' pending order(s), ' + p.staleTotal + ' stale' + shown + ': what each lacks']),
    table('Pending orders' + shown, ['Order', 'First seen (UTC)', 'Lacks', 'Stale'],
      p.pending.map(function (x) { return [x.orderId, x.firstSeenAt, x.lacks.join('; '), x.stale ? 'stale' : '']; }))]));
}
var current = null;
function render(d) {
  current = d;
  document.getElementById('generated').textContent = d.generatedAt;
  document.getElementById('range').textContent = (d.range.from || 'first day') + ' to ' + (d.range.to || 'last day');
  drawCharts(d);
  dataTables(d);
  latestDay(d);
  categoryTable(d);
  pipelineTables(d);
  document.body.setAttribute('data-rendered', d.generatedAt);
}
render(JSON.parse(document.getElementById('report-data').textContent));
if (CONFIG.live && window.EventSource) {
  var live = document.getElementById('live');
  var source = new EventSource('/api/events');
  source.addEventListener('report', function (e) {
    render(JSON.parse(e.data));
    live.textContent = 'Live: connected, updated ' + current.generatedAt + ' (UTC).';
  });
  source.onopen = function () { live.textContent = 'Live: connected, updates as files land.'; };
  source.onerror = function () { live.textContent = 'Live: connection lost, retrying.'; };
}
`;
