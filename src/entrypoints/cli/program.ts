// The shop-pipeline commands (commander): options, help with examples, and each command's action.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { PipelineApp } from '../composition/pipeline-app.js';
import type { LandingPolicy } from '../../application/land-file.use-case.js';
import type { IngestSummary } from './ingest.js';
import type { KpisOptions } from './kpis-command.js';
import { checkHome, DEMO_HOME, isDemoHome, markDemoHome, type HomeUse } from './home.js';
import { UsageError } from './usage-error.js';
import { registerDeltaVacuum } from './delta-vacuum.js';
import { registerReportCommands } from './report/report-commands.js';

// Heavy modules (SQLite, Parquet, the state machine runner) load only when a command runs, so
// --help and usage errors answer at once.
const ingestModule = () => import('./ingest.js');
const render = () => import('./render.js');

// package.json sits three folders up from both src/entrypoints/cli and dist/entrypoints/cli
const VERSION = (
  JSON.parse(
    readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8'),
  ) as { version: string }
).version;

const EXAMPLES = `
Examples (run as \`npx shop-pipeline ...\` from the project folder):
  $ npx shop-pipeline demo                     # sample shop in ./.shop-pipeline-demo, prints KPIs
  $ npx shop-pipeline generate --out ./sample --orders 500 --seed 7
  $ npx shop-pipeline ingest ./sample          # a folder of CSVs (orders/, order_items/, products.csv)
  $ npx shop-pipeline ingest orders.csv items.csv
  $ npx shop-pipeline --policy quarantine-rows ingest ./exports   # land good rows, set bad ones aside
  $ npx shop-pipeline kpis --by week --totals
  $ npx shop-pipeline kpis --format csv --out kpis.csv
  $ npx shop-pipeline status
  $ npx shop-pipeline rules                    # the validation rules in force
  $ npx shop-pipeline retry                    # run failed groups again (e.g. after a full disk)
  $ npx shop-pipeline delta vacuum             # delete Delta files removed over 7 days ago

Settings: command line, then SHOP_PIPELINE_* environment variables, then ./shop-pipeline.config.json.
State lives in --home (default ./.shop-pipeline). Exit codes: 0 all accepted, 3 something
rejected (see stderr), 4 kpis found nothing to show, 2 usage error, 1 internal error.`;

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return n;
};
const nonNegativeNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0');
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
/** a real calendar date: 2025-02-30 is refused, not rolled over to March */
const isoDate = (value: string): string => {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (parsed === null || Number.isNaN(parsed.getTime()) || !parsed.toISOString().startsWith(value))
    throw new InvalidArgumentError('expected a calendar date YYYY-MM-DD');
  return value;
};

interface Globals {
  readonly home: string;
  readonly verbose: boolean;
  readonly policy: LandingPolicy;
  readonly staleHours: number;
  /** path of the validation rules file; the seed's rules when absent */
  readonly rules?: string;
  readonly config?: string;
  readonly lockWait: number;
}

let exitCode = 0;
/** 0, or 3 when something was rejected, 1 when replay found differences */
export const commandExitCode = (): number => exitCode;
const out = (text: string): void => void process.stdout.write(`${text}\n`);
export const err = (text: string): void => void process.stderr.write(`${text}\n`);

/** writes (and `writer`, for a command that checks the home like a reader) take the home lock */
const withApp = async (
  globals: Globals,
  use: HomeUse,
  action: (app: PipelineApp) => Promise<void>,
  writer?: string,
): Promise<void> => {
  checkHome(globals.home, use);
  if (use === 'write' && isDemoHome(globals.home))
    err(`note: ${globals.home} holds the demo shop; files landed here mix with it`);
  const { loadRules } = await import('./config.js');
  const rules = loadRules(globals.rules);
  const { localApp, localWriterApp } = await import('../composition/local.container.js');
  const options = {
    home: globals.home,
    logLevel: globals.verbose ? ('info' as const) : ('error' as const),
    policy: globals.policy,
    staleHours: globals.staleHours,
    rules,
  };
  let app: PipelineApp;
  try {
    app =
      use === 'read' && writer === undefined
        ? localApp(options)
        : await localWriterApp({
            ...options,
            lockWaitMs: globals.lockWait * 1000,
            command: writer ?? process.argv.slice(2).join(' '),
          });
  } catch (error) {
    // another writer kept the home: a usage matter (exit 2), not a fault
    if (error instanceof Error && error.name === 'HomeLockHeld')
      throw new UsageError(error.message);
    throw error;
  }
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
  skipped: readonly string[] = [],
): Promise<void> => {
  err(
    `landed ${summary.landed} file(s), ${summary.duplicates} already landed, ${summary.rejected.length} rejected, ` +
      `${summary.quarantined.length} with rows set aside; ` +
      `${summary.groupsStarted.length} group workflow(s) run` +
      (skipped.length > 0 ? `; ${skipped.length} non-CSV file(s) skipped` : ''),
  );
  const { rejectionSummary, warningSummary } = await import('./rejection-summary.js');
  warningSummary(summary).forEach(err);
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
        .env('SHOP_PIPELINE_POLICY')
        .default('reject-file'),
    )
    .addOption(
      new Option('--stale-hours <h>', 'pending orders older than this are reported stale')
        .env('SHOP_PIPELINE_STALE_HOURS')
        .argParser(positiveNumber)
        .default(24),
    )
    .addOption(
      new Option('--lock-wait <s>', 'seconds to wait while another command writes to --home')
        .env('SHOP_PIPELINE_LOCK_WAIT')
        .argParser(nonNegativeNumber)
        .default(60),
    )
    .addOption(
      new Option('--verbose', 'JSON progress logs on stderr, stack traces on internal errors')
        .env('SHOP_PIPELINE_VERBOSE')
        .default(false),
    )
    .addOption(
      new Option('--rules <file>', 'validation rules file (JSON; see `rules`)').env(
        'SHOP_PIPELINE_RULES',
      ),
    )
    .addOption(
      new Option('--config <file>', 'settings file (default ./shop-pipeline.config.json)').env(
        'SHOP_PIPELINE_CONFIG',
      ),
    )
    .addHelpText('after', EXAMPLES)
    .version(VERSION, '-V, --version', 'print the version')
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  // settings the command line and environment left at their default come from the config file
  program.hook('preAction', async () => {
    const { loadConfig } = await import('./config.js');
    const config = loadConfig(program.opts<Globals>().config);
    for (const [key, value] of Object.entries(config)) {
      if (program.getOptionValueSource(key) === 'default' || program.opts()[key] === undefined)
        program.setOptionValueWithSource(key, value, 'config');
    }
  });
  const globals = (): Globals => program.opts<Globals>();

  program
    .command('demo')
    .description('generate a sample shop, land it in shuffled order, process it, print the KPIs')
    .option('--orders <n>', 'number of orders', positiveInt, 200)
    .option('--seed <s>', 'random seed', anyInt, 42)
    .action(async (o: { orders: number; seed: number }) => {
      const { runDemo } = await import('./demo.js');
      // the sample shop gets a home of its own unless one is named, so real files never mix in
      const explicit = program.getOptionValueSource('home') !== 'default';
      const g = { ...globals(), home: explicit ? globals().home : DEMO_HOME };
      await withApp(g, 'demo', async (app) => {
        markDemoHome(g.home);
        const summary = await runDemo(app, o, out, g.home);
        await reportIngest(app, g.home, summary);
      });
    });

  program
    .command('generate')
    .description('write sample CSVs of the three datasets')
    .requiredOption('--out <dir>', 'output folder')
    .option('--orders <n>', 'number of orders', positiveInt, 200)
    .option('--seed <s>', 'random seed', anyInt, 42)
    .option('--force', 'write into a folder that already holds files', false)
    .action(async (o: { out: string; orders: number; seed: number; force: boolean }) => {
      const { runGenerate } = await import('./demo.js');
      const { existsSync, readdirSync, statSync } = await import('node:fs');
      if (existsSync(o.out) && !statSync(o.out).isDirectory())
        throw new UsageError(`--out ${o.out} is a file, not a folder`);
      if (!o.force && existsSync(o.out) && readdirSync(o.out).length > 0)
        throw new UsageError(
          `${o.out} is not empty: generate would overwrite files there (use --force, or another folder)`,
        );
      runGenerate(o).forEach((p) => out(p));
    });

  program
    .command('ingest')
    .description('land CSV files (or folders of them) and process until idle')
    .argument('<paths...>', 'CSV files or folders')
    .action(async (paths: string[]) => {
      const { collectCsvFiles, deliveryOf, ingest } = await ingestModule();
      const { files, skipped } = collectCsvFiles(paths);
      if (files.length === 0) throw new UsageError(`no CSV files in ${paths.join(', ')}`);
      if (globals().verbose) skipped.forEach((p) => err(`skipped ${p} (not .csv)`));
      await withApp(globals(), 'write', async (app) => {
        const summary = await ingest(app, files.map(deliveryOf), { verbose: globals().verbose });
        await reportIngest(app, globals().home, summary, skipped);
      });
    });

  program
    .command('watch')
    .description('land files as they appear in a folder, until stopped (Ctrl-C)')
    .argument('<dir>', 'folder to watch')
    .action(async (dir: string) => {
      const { runWatch } = await import('./watch.js');
      await withApp(globals(), 'write', async (app) => {
        exitCode = await runWatch(app, dir, globals().home, err);
      });
    });

  program
    .command('kpis')
    .description('print the KPIs (exit 4 when none match)')
    .option('--date <d>', 'only this order date (YYYY-MM-DD)', isoDate)
    .option('--category <c>', 'only this category (any case)')
    .option('--json', 'same as --format json: {"order_kpis":[...],"category_kpis":[...]}', false)
    .addOption(
      new Option(
        '--format <f>',
        'output format (csv and parquet hold one table: see --kind)',
      ).choices(['table', 'json', 'csv', 'parquet']),
    )
    .option('--out <file>', 'write to this file instead of stdout')
    .addOption(
      new Option('--by <period>', 'roll the days up into weeks or months')
        .choices(['day', 'week', 'month'])
        .default('day'),
    )
    .option('--totals', 'add a total over the selection', false)
    .addOption(
      new Option('--kind <k>', 'the table csv and parquet write')
        .choices(['order', 'category'])
        .default('order'),
    )
    .addOption(
      new Option('--source <s>', 'read from the KPI store or the Delta tables')
        .choices(['store', 'delta'])
        .default('store'),
    )
    .action(async (o: KpisOptions) => {
      const { runKpis } = await import('./kpis-command.js');
      await withApp(globals(), 'read', async (app) => {
        exitCode = await runKpis(app, o, globals().home, out, err);
      });
    });

  program
    .command('status')
    .description('files, groups, pending and stale orders, last events')
    .option('--json', 'machine-readable output (snake_case names, ISO 8601 times)', false)
    .option('--limit <n>', 'entries shown of each long list (pending, stale)', positiveInt, 50)
    .option('--all', 'show every entry of the long lists', false)
    .action(async (o: { json: boolean; limit: number; all: boolean }) => {
      await withApp(globals(), 'read', async (app) => {
        const status = await app.status();
        const { statusJson, statusText } = await render();
        const limit = { limit: o.all ? undefined : o.limit };
        out(o.json ? statusJson(status, limit) : statusText(status, limit));
      });
    });

  program
    .command('replay')
    .description('rebuild the projections from the event log and compare them with the live ones')
    .option(
      '--rebuild',
      'drop the stored projections (grouping index, facts, KPIs, Delta tables) and rebuild them',
      false,
    )
    .action(async (o: { rebuild: boolean }) => {
      if (o.rebuild) {
        await withApp(
          globals(),
          'read',
          async (app) => {
            const r = await app.rebuild();
            out(
              `rebuilt ${r.rebuilt.join(', ')} from ${r.landings} landing(s) and ` +
                `${r.transformedGroups} transformed group(s) over ${r.dates} date(s)`,
            );
            out(r.differences.length === 0 ? 'equal to the live state' : r.differences.join('\n'));
            if (r.differences.length > 0) exitCode = 1;
          },
          'replay --rebuild',
        );
        return;
      }
      await withApp(globals(), 'read', async (app) => {
        const report = await app.replay();
        const { replayText } = await render();
        out(replayText(report));
        if (report.differences.length > 0) exitCode = 1;
      });
    });

  program
    .command('retry')
    .description(
      'run the workflow of transform-failed and stuck groups again (all of them when no id is ' +
        'given); ' +
        'groups rejected by validation need corrected files instead',
    )
    .argument('[groupIds...]', 'group ids (see `status`)')
    .option('--aws', 'start new Step Functions executions of the deployed stack (docs/deploy.md)')
    .addHelpText(
      'after',
      `
Example:
  $ shop-pipeline retry                 # every transform-failed or stuck group (see \`status\`)
  $ shop-pipeline retry 9c1e5b07d2a4...  # only these groups (group_id in \`status --json\`)
  $ shop-pipeline retry --aws 9c1e5b07d2a4...  # on AWS (env: BUCKET_NAME, *_TABLE, EVENT_BUS_NAME, STATE_MACHINE_ARN)
Exit code 3 when a group failed again or could not be retried (reason on stderr).`,
    )
    .action(async (groupIds: string[], options: { aws?: boolean }) => {
      if (options.aws === true) {
        const { retryOnAws } = await import('./retry-aws.js');
        exitCode = await retryOnAws(groupIds, out, err);
        return;
      }
      await withApp(
        globals(),
        'read',
        async (app) => {
          const results = await app.retry(groupIds);
          if (results.length === 0) out('no failed or stuck groups');
          for (const r of results) {
            const stuck = r.stuckSince == null ? '' : ` (was stuck since ${r.stuckSince})`;
            const line = `${r.groupId}: ${r.outcome} (${r.status})${stuck}`;
            if (r.outcome === 'succeeded' || r.status === 'archived') out(line);
            else err(`${line}: ${r.reason ?? 'unknown reason'}`);
          }
          if (results.some((r) => r.outcome !== 'succeeded' && r.status !== 'archived')) {
            exitCode = 3;
          }
        },
        'retry',
      );
    });
  program
    .command('rules')
    .description('print the validation rules in force (the defaults, or those of --rules FILE)')
    .option('--json', 'print them as a complete rules file', false)
    .action(async (o: { json: boolean }) => {
      const { loadRules } = await import('./config.js');
      const { rulesJson, rulesText } = await import('./rules-command.js');
      const rules = loadRules(globals().rules);
      out(o.json ? rulesJson(rules) : rulesText(rules, globals().rules ?? 'the defaults'));
    });
  registerDeltaVacuum(program, globals, out);
  registerReportCommands(program, globals, (g, action) => withApp(g, 'read', action));
  return program;
};
