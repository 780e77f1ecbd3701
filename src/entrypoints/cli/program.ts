// The shop-pipeline commands (commander): options, help with examples, and each command's action.
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { PipelineApp } from '../composition/pipeline-app.js';
import type { LandingPolicy } from '../../application/land-file.use-case.js';
import type { IngestSummary } from './ingest.js';
import { UsageError } from './usage-error.js';
import { registerDeltaVacuum } from './delta-vacuum.js';
import { registerReportCommands } from './report/report-commands.js';

// Heavy modules (SQLite, Parquet, the state machine runner) load only when a command runs, so
// --help and usage errors answer at once.
const ingestModule = () => import('./ingest.js');
const render = () => import('./render.js');

const EXAMPLES = `
Examples:
  $ shop-pipeline demo                         # sample shop: land, process, print KPIs
  $ shop-pipeline generate --out ./sample --orders 500 --seed 7
  $ shop-pipeline ingest ./sample              # a folder of CSVs (orders/, order_items/, products.csv)
  $ shop-pipeline ingest orders.csv items.csv  # single files
  $ shop-pipeline --policy quarantine-rows ingest ./exports   # land good rows, set bad ones aside
  $ shop-pipeline kpis --date 2025-03-02 --json
  $ shop-pipeline status
  $ shop-pipeline replay
  $ shop-pipeline retry                        # run failed groups again (e.g. after a full disk)
  $ shop-pipeline delta vacuum                 # delete Delta files removed over 7 days ago

State lives in --home (default ./.shop-pipeline, or $SHOP_PIPELINE_HOME).
Exit codes: 0 all accepted, 3 something rejected (see stderr), 2 usage error, 1 internal error.`;

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return n;
};
const positiveNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number > 0');
  return n;
};
const anyInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
};
const isoDate = (value: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError('expected YYYY-MM-DD');
  return value;
};

interface Globals {
  readonly home: string;
  readonly verbose: boolean;
  readonly policy: LandingPolicy;
  readonly staleHours: number;
}

let exitCode = 0;
/** 0, or 3 when something was rejected, 1 when replay found differences */
export const commandExitCode = (): number => exitCode;
const out = (text: string): void => void process.stdout.write(`${text}\n`);
export const err = (text: string): void => void process.stderr.write(`${text}\n`);

const withApp = async (
  globals: Globals,
  action: (app: PipelineApp) => Promise<void>,
): Promise<void> => {
  const { localApp } = await import('../composition/local.container.js');
  const app = localApp({
    home: globals.home,
    logLevel: globals.verbose ? 'info' : 'error',
    policy: globals.policy,
    staleHours: globals.staleHours,
  });
  try {
    await action(app);
  } finally {
    await app.close();
  }
};

export const reportIngest = async (
  app: PipelineApp,
  home: string,
  summary: IngestSummary,
): Promise<void> => {
  err(
    `landed ${summary.landed} file(s), ${summary.duplicates} already landed, ${summary.rejected.length} rejected, ` +
      `${summary.quarantined.length} with rows set aside; ` +
      `${summary.groupsStarted.length} group workflow(s) run`,
  );
  const { rejectionSummary } = await ingestModule();
  const problems = await rejectionSummary(app, summary, join(resolve(home), 'bucket'));
  if (problems.length > 0) {
    problems.forEach(err);
    exitCode = 3;
  }
};

export const buildProgram = (): Command => {
  const program = new Command('shop-pipeline')
    .description(
      'Validate shop CSV exports, group complete orders, compute daily KPIs (embedded mode).',
    )
    .addOption(
      new Option('--home <dir>', 'state directory')
        .env('SHOP_PIPELINE_HOME')
        .default('./.shop-pipeline'),
    )
    .addOption(
      new Option('--policy <p>', 'on a row error: reject the whole file, or land the good rows')
        .choices(['reject-file', 'quarantine-rows'])
        .default('reject-file'),
    )
    .addOption(
      new Option('--stale-hours <h>', 'pending orders older than this are reported stale')
        .env('SHOP_PIPELINE_STALE_HOURS')
        .argParser(positiveNumber)
        .default(24),
    )
    .option('--verbose', 'log progress and show stack traces', false)
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  const globals = (): Globals => program.opts<Globals>();

  program
    .command('demo')
    .description('generate a sample shop, land it in shuffled order, process it, print the KPIs')
    .option('--orders <n>', 'number of orders', positiveInt, 200)
    .option('--seed <s>', 'random seed', anyInt, 42)
    .action(async (o: { orders: number; seed: number }) => {
      const { runDemo } = await import('./demo.js');
      await withApp(globals(), async (app) => {
        const summary = await runDemo(app, o, out);
        await reportIngest(app, globals().home, summary);
      });
    });

  program
    .command('generate')
    .description('write sample CSVs of the three datasets')
    .requiredOption('--out <dir>', 'output folder')
    .option('--orders <n>', 'number of orders', positiveInt, 200)
    .option('--seed <s>', 'random seed', anyInt, 42)
    .action(async (o: { out: string; orders: number; seed: number }) => {
      const { runGenerate } = await import('./demo.js');
      runGenerate(o).forEach((p) => out(p));
    });

  program
    .command('ingest')
    .description('land CSV files (or folders of them) and process until idle')
    .argument('<paths...>', 'CSV files or folders')
    .action(async (paths: string[]) => {
      const { collectCsvFiles, deliveryOf, ingest } = await ingestModule();
      const files = collectCsvFiles(paths);
      if (files.length === 0) throw new UsageError(`no CSV files in ${paths.join(', ')}`);
      await withApp(globals(), async (app) => {
        await reportIngest(app, globals().home, await ingest(app, files.map(deliveryOf)));
      });
    });

  program
    .command('watch')
    .description('land files as they appear in a folder, until stopped (Ctrl-C)')
    .argument('<dir>', 'folder to watch')
    .action(async (dir: string) => {
      const { runWatch } = await import('./watch.js');
      await withApp(globals(), async (app) => {
        exitCode = await runWatch(app, dir, globals().home, err);
      });
    });

  program
    .command('kpis')
    .description('print the KPIs')
    .option('--date <d>', 'only this order date (YYYY-MM-DD)', isoDate)
    .option('--category <c>', 'only this category (category KPIs)')
    .option('--json', 'print {"order_kpis":[...],"category_kpis":[...]}', false)
    .addOption(
      new Option('--source <s>', 'read from the KPI store or the Delta tables')
        .choices(['store', 'delta'])
        .default('store'),
    )
    .action(
      async (o: { date?: string; category?: string; json: boolean; source: 'store' | 'delta' }) => {
        await withApp(globals(), async (app) => {
          const filter = {
            ...(o.date ? { date: o.date } : {}),
            ...(o.category ? { category: o.category } : {}),
          };
          const kpis = await app.kpis(filter, o.source);
          const { kpiTables, kpisJson } = await render();
          out(o.json ? kpisJson(kpis) : kpiTables(kpis));
        });
      },
    );

  program
    .command('status')
    .description('files, groups, pending and stale orders, last events')
    .option('--json', 'machine-readable output', false)
    .action(async (o: { json: boolean }) => {
      await withApp(globals(), async (app) => {
        const status = await app.status();
        const { statusJson, statusText } = await render();
        out(o.json ? statusJson(status) : statusText(status));
      });
    });

  program
    .command('replay')
    .description('rebuild the projections from the event log and compare them with the live ones')
    .action(async () => {
      await withApp(globals(), async (app) => {
        const report = await app.replay();
        const { replayText } = await render();
        out(replayText(report));
        if (report.differences.length > 0) exitCode = 1;
      });
    });

  program
    .command('retry')
    .description(
      'run the workflow of transform-failed groups again (all of them when no id is given); ' +
        'groups rejected by validation need corrected files instead',
    )
    .argument('[groupIds...]', 'group ids (see `status`)')
    .addHelpText(
      'after',
      `
Example:
  $ shop-pipeline retry                 # every group whose last state is transform-failed
  $ shop-pipeline retry 3f2a9c1e-...    # only these groups
Exit code 3 when a group failed again or could not be retried (reason on stderr).`,
    )
    .action(async (groupIds: string[]) => {
      await withApp(globals(), async (app) => {
        const results = await app.retry(groupIds);
        if (results.length === 0) out('no failed groups');
        for (const r of results) {
          const line = `${r.groupId}: ${r.outcome} (${r.status})`;
          if (r.outcome === 'succeeded' || r.status === 'archived') out(line);
          else err(`${line}: ${r.reason ?? 'unknown reason'}`);
        }
        if (results.some((r) => r.outcome !== 'succeeded' && r.status !== 'archived')) {
          exitCode = 3;
        }
      });
    });
  registerDeltaVacuum(program, () => globals().home, out);
  registerReportCommands(program, globals, withApp);
  return program;
};
