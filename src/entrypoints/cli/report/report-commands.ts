// The `report` and `serve` commands, registered on the program by one call so the shared
// program.ts changes by a line. Both read an embedded home (the SQLite state and the bucket
// folder under --home); see docs/operations.md for why they do not read a deployment on AWS.
import { Command, InvalidArgumentError, Option } from 'commander';
import { isIsoDate } from '../../../domain/dates.js';
import type { PipelineApp } from '../../composition/pipeline-app.js';
import { UsageError } from '../usage-error.js';

interface ReportGlobals {
  readonly home: string;
  readonly verbose: boolean;
  readonly staleHours: number;
}

type WithApp<G> = (globals: G, action: (app: PipelineApp) => Promise<void>) => Promise<void>;

const isoDate = (value: string): string => {
  if (!isIsoDate(value)) throw new InvalidArgumentError('expected a calendar date YYYY-MM-DD');
  return value;
};
const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('expected a port 0-65535 (0: any free port)');
  return n;
};
const rangeOf = (o: { from?: string; to?: string }): { from?: string; to?: string } => {
  if (o.from !== undefined && o.to !== undefined && o.from > o.to)
    throw new UsageError(`--from ${o.from} is after --to ${o.to}`);
  return { ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) };
};

const EMBEDDED_ONLY = `
Reads the embedded home (--home): KPIs, event log and status from its SQLite file, verdict
reports from its bucket folder. A deployment on AWS is not read (the CLI has no AWS mode);
dates are UTC.`;

export const registerReportCommands = <G extends ReportGlobals>(
  program: Command,
  globals: () => G,
  withApp: WithApp<G>,
): void => {
  program
    .command('report')
    .description('write one self-contained HTML page of the KPIs and the pipeline (charts, tables)')
    .option('--out <file>', 'where to write the page', 'shop-pipeline-report.html')
    .option('--from <d>', 'first order date shown (YYYY-MM-DD, UTC)', isoDate)
    .option('--to <d>', 'last order date shown (YYYY-MM-DD, UTC)', isoDate)
    .addHelpText(
      'after',
      `${EMBEDDED_ONLY}
The page needs no network: the chart library (Apache ECharts) is inlined.

Example:
  $ shop-pipeline report --out kpis.html --from 2025-03-01 --to 2025-03-31`,
    )
    .action(async (o: { out: string; from?: string; to?: string }) => {
      const range = rangeOf(o);
      const { requireHome } = await import('./serve-command.js');
      requireHome(globals().home);
      const { writeReport } = await import('./report-file.js');
      await withApp(globals(), async (app) => {
        const path = await writeReport(app, globals().home, o.out, range);
        process.stdout.write(`${path}\n`);
      });
    });

  program
    .command('serve')
    .description('serve the report page with live updates and a read-only JSON API')
    .addOption(
      new Option('--port <p>', 'TCP port (0: any free port)')
        .env('SHOP_PIPELINE_PORT')
        .argParser(port)
        .default(8080),
    )
    .option(
      '--host <h>',
      'address to bind; keep the loopback default unless you mean it',
      '127.0.0.1',
    )
    .option('--from <d>', 'first order date shown (YYYY-MM-DD, UTC)', isoDate)
    .option('--to <d>', 'last order date shown (YYYY-MM-DD, UTC)', isoDate)
    .addHelpText(
      'after',
      `${EMBEDDED_ONLY}
The page updates itself (server-sent events) while ingest or watch run on the same home.
GET only: /  /api/kpis (as kpis --json)  /api/status (as status --json)  /api/report
          /api/events (SSE)  /reports/... (verdict reports)

Example:
  $ shop-pipeline serve --port 8080     # then open http://127.0.0.1:8080/`,
    )
    .action(async (o: { port: number; host: string; from?: string; to?: string }) => {
      const g = globals();
      const [{ runServe }, { localApp }] = await Promise.all([
        import('./serve-command.js'),
        import('../../composition/local.container.js'),
      ]);
      await runServe({
        home: g.home,
        host: o.host,
        port: o.port,
        range: rangeOf(o),
        openApp: () =>
          localApp({
            home: g.home,
            logLevel: g.verbose ? 'info' : 'error',
            staleHours: g.staleHours,
          }),
        out: (line) => void process.stdout.write(`${line}\n`),
      });
    });
};
