// The environment the `shop-pipeline` command gives node: the variables its launcher's shebang
// sets (`#!/usr/bin/env -S NAME=value ... node`, bin/shop-pipeline.js). `npm run bench` runs the
// ingest through its probe, not through the launcher, so it sets the same variables itself: what
// is measured is the process the command starts (glibc's allocator settings, read at start).
import { readFileSync } from 'node:fs';

const SHEBANG = /^#!\/usr\/bin\/env -S((?: [A-Za-z_][A-Za-z0-9_]*=\S*)*) node$/;

/** the variables the launcher's shebang sets; throws when its first line is not of that form */
export const launcherEnv = (launcher: string): Record<string, string> => {
  const first = readFileSync(launcher, 'utf8').split('\n', 1)[0] ?? '';
  const match = SHEBANG.exec(first);
  if (match === null) throw new Error(`${launcher}: not an env -S shebang: ${first}`);
  const env: Record<string, string> = {};
  for (const assignment of (match[1] ?? '')
    .trim()
    .split(' ')
    .filter((a) => a !== '')) {
    const at = assignment.indexOf('=');
    env[assignment.slice(0, at)] = assignment.slice(at + 1);
  }
  return env;
};
