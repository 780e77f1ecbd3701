// `shop-pipeline delta vacuum` on an embedded home: the refusal below 168 hours is a usage error,
// --force lets it through, and the files it deletes are only unreferenced ones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { FileSystemObjectStore } from '../../../src/adapters/filesystem/filesystem-object-store.js';
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
