// Issue 12 point 6: one writer per home. A second writer waits for the first (bounded) or exits 2
// naming the holder; a lock left by a dead process is taken over; readers never wait.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireHomeLock, HOME_LOCK_FILE } from '../../src/adapters/filesystem/home-lock.js';
import {
  bin,
  cli,
  eventLogOf,
  filesUnder,
  removeTempDirs,
  repoRoot,
  tempDir,
  type CliRun,
} from './cli-harness.js';

afterAll(removeTempDirs);

const cliAsync = (home: string, ...args: string[]): Promise<CliRun> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--home', home, ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });

let generated: string | null = null;
/** one generated sample shop, shared by the tests (each lands it in its own home) */
const sample = (): string => {
  if (generated !== null) return generated;
  const input = tempDir('lock-in');
  expect(cli(tempDir('lock-gen'), 'generate', '--out', input, '--orders', '200').code).toBe(0);
  generated = input;
  return input;
};

describe('one writer per home', () => {
  it('a second writer exits 2 naming the holder; a reader does not wait', async () => {
    const home = tempDir('lock-held');
    const lock = await acquireHomeLock(home, { waitMs: 0, command: 'test holder' });
    try {
      const second = cli(home, '--lock-wait', '0', 'ingest', sample());
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`pid ${process.pid} on ${hostname()}`);
      expect(second.stderr).toContain('test holder');
      // a reader never takes the lock (this home holds no state yet, which status may report)
      const reader = cli(home, '--lock-wait', '0', 'status');
      expect(reader.stderr).not.toContain('in use by');
    } finally {
      lock.release();
    }
    expect(existsSync(join(home, HOME_LOCK_FILE))).toBe(false);
  });

  it('a waiting writer runs once the holder is done', async () => {
    const home = tempDir('lock-wait');
    const input = sample();
    const lock = await acquireHomeLock(home, { waitMs: 0, command: 'test holder' });
    const second = cliAsync(home, '--lock-wait', '120', 'ingest', input);
    setTimeout(() => lock.release(), 1500);
    const run = await second;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`landed ${filesUnder(input)} file(s)`);
  });

  it('takes over a lock whose process is dead', async () => {
    const home = tempDir('lock-stale');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(
      join(home, HOME_LOCK_FILE),
      JSON.stringify({
        pid: dead,
        host: hostname(),
        startedAt: new Date(0).toISOString(),
        command: 'ingest (killed)',
        token: 'old',
      }),
    );
    const run = cli(home, '--lock-wait', '0', 'ingest', sample());
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(home, HOME_LOCK_FILE))).toBe(false);
  });

  it('two ingests of the same folder at once: one lands the files, the other finds them landed', async () => {
    const home = tempDir('lock-race');
    const input = sample();
    const runs = await Promise.all([
      cliAsync(home, 'ingest', input),
      cliAsync(home, 'ingest', input),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const summaries = runs.map((r) =>
      /landed (\d+) file\(s\), (\d+) already landed/.exec(r.stderr),
    );
    const landed = summaries.map((m) => Number(m?.[1])).sort();
    const duplicates = summaries.map((m) => Number(m?.[2])).sort();
    const files = filesUnder(input);
    expect(landed).toEqual([0, files]);
    expect(duplicates).toEqual([0, files]);
    const log = await eventLogOf(home);
    expect(new Set(log).size).toBe(log.length);
  });
});
