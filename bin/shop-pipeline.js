#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=1048576 node
// MALLOC_MMAP_THRESHOLD_ (glibc, read at the process's start, so set here, before node runs):
// every allocation of 1 MB or more is mapped on its own and given back to the system when freed.
// By default glibc raises that threshold (up to 32 MB) each time a mapped block is freed, after
// which such blocks come from the allocating thread's arena and stay in the RSS once freed: at
// 3M items ~350 MB of thread arenas (mostly the reference index's worker, gone by then) and
// ~170 MB more of the main arena stayed resident through Validate and Transform, where the
// peak was set (docs/performance.md, "Round 14: mem9"). Another libc ignores the variable.
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
