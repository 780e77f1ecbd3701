// `shop-pipeline delta vacuum` on an embedded home: the refusal below 168 hours is a usage error,
// --force lets it through, the files it deletes are only unreferenced ones, and it waits for
// (or refuses, naming) another writer of the home, as every writer does.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { FileSystemObjectStore } from '../../../src/adapters/filesystem/filesystem-object-store.js';
import { acquireHomeLock, HOME_LOCK_FILE } from '../../../src/adapters/filesystem/home-lock.js';
import { buildProgram } from '../../../src/entrypoints/cli/program.js';
import { UsageError } from '../../../src/entrypoints/cli/usage-error.js';
import { byItem, commitOf, order } from './delta-test-support.js';

const home = mkdtempSync(join(tmpdir(), 'delta-vacuum-cli-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const run = async (...args: string[]): Promise<string> => {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await buildProgram().parseAsync(['node', 'shop-pipeline', '--home', home, ...args]);
  } finally {
    spy.mockRestore();
  }
  return lines.join('');
};

describe('shop-pipeline delta vacuum', () => {
  it('refuses a retention below 168 hours without --force, then deletes only removed files', async () => {
    const store = new FileSystemObjectStore(join(home, 'bucket'));
    const tables = new DeltaAnalyticsTables(store);
    const first = order('o1', 0, 2);
    const second = order('o1', 0, 3, { orderStatus: 'returned' });
    await tables.commit(commitOf('t1', first, first));
    await tables.commit(commitOf('t2', second, second));
    await expect(run('delta', 'vacuum', '--retain-hours', '1')).rejects.toBeInstanceOf(UsageError);
    expect(await run('delta', 'vacuum')).toMatch(/order_facts: deleted 0 file\(s\).*kept 1 /);
    const out = await run('delta', 'vacuum', '--retain-hours', '0', '--force');
    expect(out).toMatch(/delta\/order_facts: deleted 1 file\(s\)/);
    expect(out).toMatch(/delta\/category_kpis: deleted 1 file\(s\)/);
    expect(byItem(await tables.readFacts())).toEqual(byItem(second));
  });
});

describe('shop-pipeline delta vacuum and other writers', () => {
  it('takes the home lock: with another writer holding it, it exits 2 naming the holder', async () => {
    const lock = await acquireHomeLock(home, { waitMs: 0, command: 'ingest (test holder)' });
    try {
      const refused = run('--lock-wait', '0', 'delta', 'vacuum', '--retain-hours', '0', '--force');
      await expect(refused).rejects.toBeInstanceOf(UsageError);
      await expect(refused).rejects.toThrow(/ingest \(test holder\)/);
    } finally {
      lock.release();
    }
    // released by the holder, and by vacuum itself after it ran
    expect(await run('delta', 'vacuum')).toMatch(/order_facts: deleted 0 file/);
    expect(existsSync(join(home, HOME_LOCK_FILE))).toBe(false);
  });

  it('refuses a home that does not exist instead of creating it', async () => {
    const missing = join(home, 'no-such-home');
    const lines = buildProgram().parseAsync([
      'node',
      'shop-pipeline',
      '--home',
      missing,
      'delta',
      'vacuum',
    ]);
    await expect(lines).rejects.toThrow(/no home at/);
    expect(existsSync(missing)).toBe(false);
  });
});
