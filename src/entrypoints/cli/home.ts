// Checks on --home before a command opens it: a file is not a home, a command that only reads
// needs a home that exists (a typo must not create an empty one), and the demo keeps its sample
// shop apart from real data (a marker file says a home holds the demo).
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './usage-error.js';

/** where `demo` puts its sample shop when --home is not given */
export const DEMO_HOME = './.shop-pipeline-demo';
const DEMO_MARKER = 'demo-home.txt';
const STATE_DB = 'state.db';

export type HomeUse = 'read' | 'write' | 'demo';

const hasState = (home: string): boolean => existsSync(join(home, STATE_DB));
export const isDemoHome = (home: string): boolean => existsSync(join(home, DEMO_MARKER));

/** throws a UsageError (exit 2) when `home` cannot serve `use` */
export const checkHome = (home: string, use: HomeUse): void => {
  const path = resolve(home);
  if (existsSync(path) && !statSync(path).isDirectory())
    throw new UsageError(`--home ${home} is a file, not a folder`);
  if (use === 'read' && !hasState(path))
    throw new UsageError(
      `no pipeline state in ${path}: nothing was landed there (check --home, ` +
        'or land files first: npx shop-pipeline ingest <files>)',
    );
  if (use === 'demo' && hasState(path) && !isDemoHome(path))
    throw new UsageError(
      `${path} holds other data: the demo would mix its sample shop into it. ` +
        `Run the demo without --home (it uses ${DEMO_HOME}) or with an empty folder`,
    );
};

/** marks a home as the demo's, so `ingest` can warn before mixing real files into it */
export const markDemoHome = (home: string): void =>
  writeFileSync(
    join(resolve(home), DEMO_MARKER),
    'This home holds the shop-pipeline demo shop. Land real files in another --home.\n',
  );
