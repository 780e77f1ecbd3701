// The launcher (bin/shop-pipeline.js) starts node with one glibc malloc arena, and
// `npm run bench` gives its ingest the same variables (bench/launcher-env.ts): the 3M-item peak
// RSS depends on it (docs/performance.md, "Round 14: mem9").
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launcherEnv } from '../../../bench/launcher-env.js';

const launcher = join(import.meta.dirname, '..', '..', '..', 'bin', 'shop-pipeline.js');
const dir = mkdtempSync(join(tmpdir(), 'launcher-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the launcher environment', () => {
  it('keeps every thread on one malloc arena', () => {
    expect(launcherEnv(launcher)).toEqual({ MALLOC_ARENA_MAX: '1' });
  });

  it('gives node those variables when the launcher is run as a command', () => {
    // the launcher's own first line over a script that prints its environment: the line as the
    // kernel and env(1) run it
    const shebang = readFileSync(launcher, 'utf8').split('\n', 1)[0] as string;
    const script = join(dir, 'print-env.js');
    writeFileSync(
      script,
      `${shebang}\nprocess.stdout.write(process.env.MALLOC_ARENA_MAX ?? 'unset');\n`,
    );
    chmodSync(script, 0o755);
    const env = { ...process.env };
    delete env['MALLOC_ARENA_MAX'];
    const run = spawnSync(script, [], { encoding: 'utf8', env });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(launcherEnv(launcher)['MALLOC_ARENA_MAX']);
  });

  it('refuses a first line that is not an env -S shebang', () => {
    const plain = join(dir, 'plain.js');
    writeFileSync(plain, '#!/usr/bin/env node\n');
    expect(() => launcherEnv(plain)).toThrow(/not an env -S shebang/);
    const odd = join(dir, 'odd.js');
    writeFileSync(odd, '#!/usr/bin/env -S --inspect node\n');
    expect(() => launcherEnv(odd)).toThrow(/not an env -S shebang/);
  });
});
