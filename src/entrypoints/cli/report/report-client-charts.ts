// Browser code of the report (plain ES2020, inlined into the page): the ECharts options of every
// chart. Each chart has a title, named axes, ARIA on (a generated description for screen
// readers) and decal patterns, so series can be told apart without colour; money is plotted as
// cents / 100 but every tooltip shows the exact text computed from integer cents in Node.
// Kept as a string so any build (tsx, tsc, esbuild) ships it unchanged.
export const CHARTS_SCRIPT = String.raw`
var ARIA = { enabled: true, decal: { show: true } };
var SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'pin', 'arrow', 'roundRect'];
function base(title, xName, yName) {
  return {
    animation: false,
    aria: ARIA,
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    grid: { left: 70, right: 30, top: 60, bottom: 70, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', name: xName, nameLocation: 'middle', nameGap: 45, data: [] },
    yAxis: { type: 'value', name: yName, nameLocation: 'middle', nameGap: 60 }
  };
}
function textTooltip(texts) {
  return function (params) {
    var list = Array.isArray(params) ? params : [params];
    return list.map(function (p) {
      var t = texts[p.seriesIndex] ? texts[p.seriesIndex][p.dataIndex] : p.value;
      // the tooltip is HTML: names come from the data (category names), so they are escaped
      var enc = echarts.format.encodeHTML;
      return enc((list.length > 1 || p.seriesName ? p.seriesName + ' ' : '') + p.name + ': ' + t);
    }).join('<br>');
  };
}
function pct(rate) { return (rate * 100).toFixed(2) + '%'; }
var CHARTS = {
  'revenue-day': function (d) {
    var o = base('Revenue per day (UTC order date)', 'Order date (UTC)', 'Revenue');
    o.xAxis.data = d.days.map(function (r) { return r.date; });
    o.series = [{ name: 'Revenue', type: 'line', symbol: 'circle', showSymbol: true,
      data: d.days.map(function (r) { return r.revenue.cents / 100; }) }];
    o.tooltip.formatter = textTooltip([d.days.map(function (r) { return r.revenue.text; })]);
    return o;
  },
  'orders-day': function (d) {
    var o = base('Orders per day (UTC order date)', 'Order date (UTC)', 'Orders');
    o.xAxis.data = d.days.map(function (r) { return r.date; });
    o.series = [{ name: 'Orders', type: 'bar', data: d.days.map(function (r) { return r.orders; }) }];
    return o;
  },
  'return-day': function (d) {
    var o = base('Return rate per day (UTC order date)', 'Order date (UTC)', 'Return rate (%)');
    o.xAxis.data = d.days.map(function (r) { return r.date; });
    o.series = [{ name: 'Return rate', type: 'line', symbol: 'triangle',
      data: d.days.map(function (r) { return +(r.returnRate * 100).toFixed(4); }) }];
    o.tooltip.formatter = textTooltip([d.days.map(function (r) { return pct(r.returnRate); })]);
    return o;
  },
  'category-revenue': function (d) {
    var o = base('Revenue per category per day (stacked)', 'Order date (UTC)', 'Revenue');
    var dates = d.days.map(function (r) { return r.date; });
    o.xAxis.data = dates;
    o.legend = { type: 'scroll', bottom: 0 };
    o.grid.bottom = 90;
    var texts = [];
    o.series = d.categories.map(function (c) {
      var byDate = {};
      d.categoryDays.forEach(function (r) { if (r.category === c) byDate[r.date] = r; });
      texts.push(dates.map(function (x) { return byDate[x] ? byDate[x].revenue.text : '0.00'; }));
      return { name: c, type: 'bar', stack: 'revenue',
        data: dates.map(function (x) { return byDate[x] ? byDate[x].revenue.cents / 100 : 0; }) };
    });
    o.tooltip.formatter = textTooltip(texts);
    o.tooltip.confine = true;
    return o;
  },
  'aov-category': function (d) {
    // the whole period's average is computed from its orders (null when not given): not a mean of days
    var rows = d.categoryTable;
    var day = d.latest ? d.latest.day.date : 'no data';
    var o = base('Average order value per category: the period, and ' + day + ' (UTC)', 'Average order value', 'Category');
    o.xAxis = { type: 'value', name: 'Average order value', nameLocation: 'middle', nameGap: 30 };
    o.yAxis = { type: 'category', name: 'Category', nameLocation: 'start', inverse: true,
      data: rows.map(function (r) { return r.category; }) };
    o.legend = { bottom: 0 };
    var period = rows.map(function (r) { return r.periodAvgOrderValue; });
    var latest = rows.map(function (r) { return r.latest ? r.latest.avgOrderValue : null; });
    var series = function (name, values) {
      return { name: name, type: 'bar', label: { show: true, position: 'right',
        formatter: function (p) { return values[p.dataIndex] ? values[p.dataIndex].text : '-'; } },
        data: values.map(function (v) { return v ? v.cents / 100 : null; }) };
    };
    o.series = [series('whole period', period), series('latest day', latest)];
    var text = function (values) { return values.map(function (v) { return v ? v.text : '-'; }); };
    o.tooltip.formatter = textTooltip([text(period), text(latest)]);
    return o;
  },
  'file-activity': function (d) {
    var a = d.pipeline.activity;
    var o = base('Files landed and rejected per ' + a.bucket + ' (UTC)', 'Time (UTC)', 'Files');
    o.xAxis.data = a.rows.map(function (r) { return r.at; });
    o.legend = { bottom: 0 };
    o.series = [
      { name: 'landed', type: 'bar', stack: 'files', data: a.rows.map(function (r) { return r.landed; }) },
      { name: 'rejected', type: 'bar', stack: 'files', data: a.rows.map(function (r) { return r.rejected; }) }
    ];
    return o;
  },
  'group-states': function (d) {
    var g = d.pipeline.groups;
    var o = base('Groups by state', 'State', 'Groups');
    o.xAxis.data = g.map(function (r) { return r.state; });
    o.series = [{ name: 'Groups', type: 'bar', label: { show: true, position: 'top' },
      data: g.map(function (r) { return r.count; }) }];
    return o;
  }
};
function symbolsFor(option) {
  (option.series || []).forEach(function (s, i) {
    if (s.type === 'line') s.symbol = SYMBOLS[i % SYMBOLS.length];
    if (s.type === 'bar') s.barMaxWidth = 48;
  });
  return option;
}
var instances = {};
function drawCharts(d) {
  Object.keys(CHARTS).forEach(function (id) {
    var el = document.getElementById(id);
    if (!instances[id]) instances[id] = echarts.init(el, null, { renderer: 'svg' });
    instances[id].setOption(symbolsFor(CHARTS[id](d)), true);
  });
}
window.addEventListener('resize', function () {
  Object.keys(instances).forEach(function (id) { instances[id].resize(); });
});
`;
