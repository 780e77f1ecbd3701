// The register's worker started ahead of a big landing (prewarm): the landing takes that very
// worker (its start is not paid again at begin), a worker that was never needed does not keep
// the process alive, and one that died while waiting is replaced at begin.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-index.js';
import { SqliteWorkerReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-worker-index.js';
import { itemsFile, ordersFile, productsFile } from '../../contract/reference-index.contract.js';
import { registerInBatches } from '../../contract/support/landing-scenarios.js';

const scratch = mkdtempSync(join(tmpdir(), 'sqlite-ri-prewarm-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let homes = 0;

function indexIn() {
  const path = join(scratch, `${(homes += 1)}.db`);
  const db = openSqlite(path);
  const index = new SqliteWorkerReferenceIndex(new SqliteReferenceIndex(db), {
    path,
    minBytes: 0,
    spareCore: () => true,
  });
  return { db, index };
}

/** the index's worker thread now (private: what a landing would be handed) */
const workerOf = (index: SqliteWorkerReferenceIndex): Worker | null =>
  (index as unknown as { worker: Worker | null }).worker;

const ids = Array.from({ length: 50 }, (_, o) => `o${o}`);
const items = itemsFile(
  'i.csv',
  ids.map((id) => [`${id}-i`, id, 'p1']),
);
const orders = ordersFile(
  'o.csv',
  ids.map((id) => [id, 1]),
);
/** products, then the items (on the worker), then the orders that complete them (inline) */
const landAll = async (index: SqliteWorkerReferenceIndex) => {
  await registerInBatches(index, productsFile('p.csv', ['p1']), 16, 1);
  await registerInBatches(index, items, 16, 2);
  return registerInBatches(index, orders, 16, 3);
};

describe('SqliteWorkerReferenceIndex.prewarm', () => {
  it('starts the worker once, and the next big landing runs on that very worker', async () => {
    const { db, index } = indexIn();
    expect(workerOf(index)).toBeNull();
    index.prewarm();
    const started = workerOf(index);
    expect(started).not.toBeNull();
    index.prewarm(); // a second hint starts nothing more
    expect(workerOf(index)).toBe(started);
    await new Promise<void>((resolve) => started?.once('online', () => resolve()));
    const staging = index.begin('order_items', { fileKey: 'i.csv', stagedKey: 's', bytes: 1 });
    expect(staging).toBeDefined();
    expect(workerOf(index)).toBe(started);
    // and it registers as a worker started at begin does
    staging?.abandon();
    const done = await landAll(index);
    expect(done.orderIds).toHaveLength(50);
    await index.close();
    db.close();
  });

  it('a prewarmed worker that stopped before its landing is replaced at begin', async () => {
    const { db, index } = indexIn();
    index.prewarm();
    const first = workerOf(index);
    await first?.terminate();
    expect(workerOf(index)).toBeNull();
    const done = await landAll(index);
    expect(done.orderIds).toHaveLength(50);
    await index.close();
    db.close();
  });

  it('a prewarmed worker never needed does not keep the process alive', () => {
    const script = join(import.meta.dirname, 'sqlite-reference-worker-prewarm.fixture.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, join(scratch, 'exit.db')], {
      encoding: 'utf8',
      cwd: join(import.meta.dirname, '..', '..', '..'),
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect([run.status, run.signal, run.stdout.trim()]).toEqual([0, null, 'prewarmed']);
  });
});
