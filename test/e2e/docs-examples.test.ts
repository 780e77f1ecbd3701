// Every `sh` example of README.md and docs/operations.md runs as written, in order, in a fresh
// folder: `npx shop-pipeline` and `npm start` go to this checkout's CLI through shims on PATH.
// A line must exit 0, or the code its `# exit N` comment names. `npm ci` and `npm test` are the
// install and this very suite, so they are not run here (CI runs both).
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, removeTempDirs, repoRoot, tempDir } from './cli-harness.js';

afterAll(removeTempDirs);

const NOT_RUN = new Set(['npm ci', 'npm test']);

/** the command lines of the ```sh blocks of a markdown file */
const shExamples = (file: string): string[] => {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    (m[1] ?? '').split('\n').filter((l) => l.trim() !== ''),
  );
};

const expectedExit = (line: string): number => Number(/# exit (\d+)/.exec(line)?.[1] ?? 0);
/** a server (`# runs until Ctrl-C`): it must still be up when stopped after a while */
const longRunning = (line: string): boolean => line.includes('# runs until Ctrl-C');
const command = (line: string): string => line.replace(/\s+#.*$/, '').trim();

/** a folder for PATH with `npx` and `npm` that run this checkout's CLI */
const shims = (): string => {
  const dir = tempDir('shims');
  const node = JSON.stringify(process.execPath);
  const cli = JSON.stringify(bin);
  writeFileSync(
    join(dir, 'npx'),
    `#!/bin/sh\n[ "$1" = shop-pipeline ] || exit 127\nshift\nexec ${node} ${cli} "$@"\n`,
  );
  writeFileSync(
    join(dir, 'npm'),
    `#!/bin/sh\n[ "$1" = start ] || exit 127\nexec ${node} ${cli} demo\n`,
  );
  for (const f of ['npx', 'npm']) chmodSync(join(dir, f), 0o755);
  return dir;
};

describe.each(['README.md', 'docs/operations.md'])('the sh examples of %s', (file) => {
  const lines = shExamples(file).filter((l) => !NOT_RUN.has(command(l)));

  it('has examples to run', () => expect(lines.length).toBeGreaterThan(3));

  it('run as written, each with the exit code it states', () => {
    const cwd = tempDir('docs');
    const path = `${shims()}:${process.env.PATH ?? ''}`;
    const env: Record<string, string | undefined> = { ...process.env, PATH: path };
    for (const name of Object.keys(env)) if (name.startsWith('SHOP_PIPELINE_')) delete env[name];
    // the README's `serve` uses the default port 8080, which another program may hold here
    env.SHOP_PIPELINE_PORT = '0';
    for (const line of lines) {
      if (longRunning(line)) {
        // `exec`: the timeout's signal reaches the server itself, not only the shell
        const r = spawnSync('sh', ['-c', `exec ${command(line)}`], {
          cwd,
          env,
          encoding: 'utf8',
          timeout: 20_000,
        });
        // still serving when the timeout stopped it (it may exit 0 on that SIGTERM)
        const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
        expect(code, `${line} stopped by itself: ${r.stderr}`).toBe('ETIMEDOUT');
        continue;
      }
      const r = spawnSync('sh', ['-c', command(line)], { cwd, env, encoding: 'utf8' });
      expect(r.status, `${line}\n${r.stderr}`).toBe(expectedExit(line));
    }
  });
});
