// The report's stylesheet (inlined): plain, printable, high contrast, visible keyboard focus.
export const REPORT_STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; color: #1a1a1a; background: #fff; margin: 0 auto;
  max-width: 1100px; padding: 0 16px 48px; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 2px solid #444; padding-bottom: 4px; margin-top: 2em; }
nav a, a { color: #0645ad; }
a:focus, button:focus, summary:focus { outline: 3px solid #ff9800; outline-offset: 2px; }
figure { margin: 1.5em 0; }
.chart { width: 100%; height: 380px; }
details { margin-top: 4px; }
summary { cursor: pointer; }
table { border-collapse: collapse; margin: 0.8em 0; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #999; padding: 3px 8px; text-align: left; vertical-align: top; }
td:not(:first-child) { text-align: right; }
#problems td, #pending td { text-align: left; }
thead th { background: #eee; }
tfoot td { font-weight: 700; border-top: 2px solid #444; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; }
#live { font-style: italic; }
@media print { .chart { break-inside: avoid; } details { display: none; } }
`;
