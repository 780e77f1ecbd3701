#!/usr/bin/env -S MALLOC_ARENA_MAX=1 node
// MALLOC_ARENA_MAX=1 (glibc, read at the process's start, so set here, before node runs): every
// thread allocates from the main arena. Each thread that mallocs (a worker: the reference index's,
// the staging encoder's; SQLite, zlib) otherwise gets an arena of its own, whose freed memory
// stays resident after the thread is gone and serves no other thread's allocations: at 3M items
// 350-500 MB of such arenas were resident through Validate and Transform, where the peak was set
// (docs/performance.md, "Round 14: mem9"). One arena reuses that memory instead. Another libc
// ignores the variable.
// Runs the compiled CLI from dist/ (built by `npm run build`, which `npm ci` runs through the
// `prepare` script), so a command starts without compiling TypeScript. In a development tree
// where dist/ is missing, older than src/, or SHOP_PIPELINE_FROM_SOURCE=1 is set, it runs the
// TypeScript sources through tsx instead, so an edit is never hidden behind a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'entrypoints', 'cli', 'main.js');

/** why the sources must run instead of dist/, or undefined when dist/ is current */
const reasonForSources = () => {
  if (process.env.SHOP_PIPELINE_FROM_SOURCE === '1') return undefined;
  if (!existsSync(compiled)) return 'dist/ is not built';
  const builtAt = statSync(compiled).mtimeMs;
  const src = join(root, 'src');
  if (!existsSync(src)) return null;
  const newer = readdirSync(src, { recursive: true }).find(
    (name) => String(name).endsWith('.ts') && statSync(join(src, String(name))).mtimeMs > builtAt,
  );
  return newer === undefined ? null : `src/${String(newer)} is newer than dist/`;
};

const reason = reasonForSources();
if (reason === null) {
  await import(pathToFileURL(compiled).href);
} else {
  if (reason !== undefined && process.stderr.isTTY)
    process.stderr.write(
      `shop-pipeline: ${reason}; running the TypeScript sources through tsx (slower start). ` +
        'Run `npm run build` to compile.\n',
    );
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'entrypoints', 'cli', 'main.ts')).href);
}
