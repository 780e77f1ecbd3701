// The task image without docker: runs the Dockerfile's build step (infra/docker/build.mjs) in a
// scratch directory and checks the dispatcher the container starts with.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/layout.js';

let work: string;
let build: ReturnType<typeof spawnSync>;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'task-image-'));
  // what the Dockerfile copies into its build stage, linked instead of copied
  for (const entry of ['package.json', 'tsconfig.json', 'src', 'node_modules', 'infra']) {
    symlinkSync(join(REPO_ROOT, entry), join(work, entry));
  }
  build = spawnSync(process.execPath, ['infra/docker/build.mjs'], { cwd: work, encoding: 'utf8' });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (...args: string[]) =>
  spawnSync(process.execPath, [join(work, 'dist', 'run.mjs'), ...args], { encoding: 'utf8' });

describe('task image build step', () => {
  it('bundles the three task mains next to the parquet-wasm binary and the dispatcher', () => {
    expect(build.status, String(build.stderr)).toBe(0);
    for (const file of [
      'validate.mjs',
      'transform.mjs',
      'ingest.mjs',
      'run.mjs',
      'parquet_wasm_bg.wasm',
    ]) {
      expect(existsSync(join(work, 'dist', file)), file).toBe(true);
    }
  });

  it('refuses a command other than validate, transform or ingest, with a usage line', () => {
    const result = run('deploy');
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('usage: run.mjs validate|transform|ingest');
    expect(run().status).toBe(64);
  });

  it('starts the container with the dispatcher, validate by default', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'infra', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ENTRYPOINT ["node", "/app/run.mjs"]');
    expect(dockerfile).toContain('RUN node infra/docker/build.mjs');
    // the launcher's glibc setting (one malloc arena), which a container's `node` does not get
    expect(dockerfile).toMatch(/^ENV [^]*?\bMALLOC_ARENA_MAX=1$/m);
  });
});
