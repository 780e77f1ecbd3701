// `shop-pipeline delta vacuum [--retain-hours H] [--force]`: deletes the Delta data files no
// table version within the retention needs (removed by later commits, or left by a crash). It
// takes the home's writer lock like any writer (--lock-wait; exit 2 naming the holder).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { checkHome } from './home.js';
import { UsageError } from './usage-error.js';

const hours = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected hours >= 0');
  return n;
};

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export const registerDeltaVacuum = (
  program: Command,
  globals: () => { readonly home: string; readonly lockWait: number },
  out: (text: string) => void,
): void => {
  program
    .command('delta')
    .description('maintenance of the Delta tables (delta/ in the bucket)')
    .command('vacuum')
    .description('delete data files that no table version within the retention references')
    .option('--retain-hours <h>', "keep removed files this long (default: the table's, 168)", hours)
    .option('--force', 'allow a retention below 168 hours (only when nothing else reads)', false)
    .addHelpText(
      'after',
      `
Example:
  $ shop-pipeline delta vacuum                  # removed more than 7 days ago
  $ shop-pipeline delta vacuum --retain-hours 0 --force   # everything unreferenced, now`,
    )
    .action(async (o: { retainHours?: number; force: boolean }) => {
      const { vacuumLocalDelta } = await import('../composition/local-delta-maintenance.js');
      const { home, lockWait } = globals();
      checkHome(home, 'write');
      if (!existsSync(home)) throw new UsageError(`no home at ${resolve(home)}: nothing to vacuum`);
      const result = await vacuumLocalDelta(
        home,
        {
          ...(o.retainHours === undefined ? {} : { retainHours: o.retainHours }),
          force: o.force,
        },
        { waitMs: lockWait * 1000, command: 'delta vacuum' },
      ).catch((error: unknown) => {
        // another writer kept the home: a usage matter (exit 2), as for every writer
        if (error instanceof Error && error.name === 'HomeLockHeld')
          throw new UsageError(error.message);
        throw error;
      });
      if ('refused' in result) throw new UsageError(result.refused);
      for (const r of result.reports) {
        out(
          `${r.root}: deleted ${r.deleted.length} file(s) (${kb(r.bytes)}), ` +
            `kept ${r.kept} unreferenced file(s) still within the retention`,
        );
      }
    });
};
