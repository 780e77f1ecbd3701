// DeltaWorkerTables: big fact commits on a worker thread over the same bucket folder. The worker
// must leave what the inline tables leave (same data files byte for byte, same add actions, same
// rows and KPIs), fail with the error the inline commit gives, fail a commit cleanly when the
// worker dies, and never hold a process open.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { DeltaConcurrentModification } from '../../../src/adapters/delta/delta-table.js';
import { DeltaWorkerTables } from '../../../src/adapters/delta/delta-worker-tables.js';
import { busyWorkerCount } from '../../../src/adapters/node/spare-core.js';
import { errorOf, wireError } from '../../../src/adapters/delta/delta-worker-protocol.js';
import { FileSystemObjectStore } from '../../../src/adapters/filesystem/filesystem-object-store.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';
import { byItem, commitOf, order, orderFactsFiles } from './delta-test-support.js';

const scratch = mkdtempSync(join(tmpdir(), 'delta-worker-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let homes = 0;
/** sleeps this thread without returning to its event loop */
const BLOCK = new Int32Array(new SharedArrayBuffer(4));

const GZIPPED = ['archive/', 'groups/'];
function tablesIn(
  options: {
    minFacts?: number;
    maxFacts?: number;
    spareCore?: boolean;
  } = {},
) {
  const bucket = join(scratch, String((homes += 1)));
  const store = new FileSystemObjectStore(bucket, { gzipped: GZIPPED });
  const inline = new DeltaAnalyticsTables(store);
  const worker = new DeltaWorkerTables(inline, {
    bucket,
    gzipped: GZIPPED,
    minFacts: options.minFacts ?? 1,
    // a busy test machine must not send these commits inline
    spareCore: () => options.spareCore ?? true,
    ...(options.maxFacts === undefined ? {} : { maxFacts: options.maxFacts }),
  });
  return { bucket, store, inline, worker };
}

/** orders of 1-5 items over 4 days, ids of 1-4 digits and a non-ASCII one (a group's shape) */
const shop = (orders: number, from = 0, opts: Partial<Fact> = {}): Fact[] =>
  Array.from({ length: orders }, (_, o) =>
    order(o === 7 ? `ü${o + from}` : String(o + from), (o + from) % 4, 1 + (o % 5), opts),
  ).flat();

describe('DeltaWorkerTables', () => {
  it('commits on the worker what the inline tables commit, first and rewriting commits', async () => {
    const a = tablesIn();
    const b = tablesIn();
    try {
      const first = shop(600);
      // orders 300-899: half of them replace orders of the first commit (moved to other days)
      const second = shop(600, 300, { orderStatus: 'returned' });
      const replaced = new Set(second.map((f) => f.orderId));
      const after = [...first.filter((f) => !replaced.has(f.orderId)), ...second];
      for (const [i, [facts, model]] of [
        [first, first],
        [second, after],
      ].entries()) {
        const change = commitOf(`t${i}`, facts as Fact[], model as Fact[]);
        await a.inline.commit(change);
        await b.worker.commit(change);
        expect(await orderFactsFiles(b.store, b.inline)).toEqual(
          await orderFactsFiles(a.store, a.inline),
        );
        expect(await b.worker.readKpis()).toEqual(await a.inline.readKpis());
      }
      expect(byItem(await b.worker.readFacts())).toEqual(byItem(after));
      // the same transaction again writes nothing, on the worker too
      const version = (await b.inline.orderFacts.snapshot())?.version;
      await b.worker.commit(commitOf('t1', second, after));
      expect((await b.inline.orderFacts.snapshot())?.version).toBe(version);
    } finally {
      await b.worker.close();
    }
  });

  it('small and too big commits stay inline; one commit waits for the one before', async () => {
    const t = tablesIn({ minFacts: 1000, maxFacts: 2000 });
    try {
      const big = shop(800); // 2,400 facts: over maxFacts, inline
      const mid = shop(400, 1000); // 1,200 facts: on the worker
      const small = shop(10, 2000);
      const all = [...big, ...mid, ...small];
      // not awaited in between: each commit must run after the one before
      const commits = [
        t.worker.commit(commitOf('big', big, big)),
        t.worker.commit(commitOf('mid', mid, [...big, ...mid])),
        t.worker.commit(commitOf('small', small, all)),
      ];
      await Promise.all(commits);
      expect(byItem(await t.worker.readFacts())).toEqual(byItem(all));
      expect((await t.inline.orderFacts.snapshot())?.version).toBe(2);
    } finally {
      await t.worker.close();
    }
  });

  it('commits while the calling thread is blocked (as by a synchronous SQLite write)', async () => {
    const t = tablesIn();
    try {
      const facts = shop(300);
      const busy = busyWorkerCount();
      const committing = t.worker.commit(commitOf('t', facts, facts));
      // the worker counts as busy for the other workers' spare-core checks until it answers
      expect(busyWorkerCount()).toBe(busy + 1);
      // no await before the loop: the worker must have had its input when commit() returned
      const log = join(
        t.bucket,
        t.inline.orderFacts.root,
        '_delta_log',
        '00000000000000000000.json',
      );
      const until = Date.now() + 120_000;
      while (!existsSync(log) && Date.now() < until) Atomics.wait(BLOCK, 0, 0, 20);
      expect(existsSync(log)).toBe(true);
      await committing;
      expect(busyWorkerCount()).toBe(busy);
    } finally {
      await t.worker.close();
    }
  });

  it('commits inline, after the blocked thread resumes, when no core is to spare', async () => {
    const t = tablesIn({ spareCore: false });
    const facts = shop(300);
    const committing = t.worker.commit(commitOf('t', facts, facts));
    const log = join(t.bucket, t.inline.orderFacts.root, '_delta_log', '00000000000000000000.json');
    const until = Date.now() + 3000;
    while (Date.now() < until) Atomics.wait(BLOCK, 0, 0, 20);
    expect(existsSync(log)).toBe(false);
    await committing;
    expect(existsSync(log)).toBe(true);
  });

  it('fails with the error of the inline commit', async () => {
    const a = tablesIn();
    const b = tablesIn();
    try {
      const facts = shop(50);
      const change = commitOf('t', facts, facts);
      for (const t of [a, b]) {
        await t.inline.commit(commitOf('t0', [], []));
        // a writer feature this writer does not implement
        const protocol = {
          minReaderVersion: 1,
          minWriterVersion: 7,
          writerFeatures: ['rowTracking'],
        };
        const log = `${t.inline.orderFacts.root}/_delta_log/00000000000000000001.json`;
        await t.store.put(log, `${JSON.stringify({ protocol })}\n`);
      }
      const inline = await a.inline.commit(change).then(
        () => null,
        (e: unknown) => e as Error,
      );
      const worker = await b.worker.commit(change).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(inline?.message).toMatch(/writer features this writer lacks: rowTracking/);
      expect(worker?.constructor).toBe(inline?.constructor);
      expect([worker?.name, worker?.message]).toEqual([inline?.name, inline?.message]);
    } finally {
      await b.worker.close();
    }
  });

  it('carries an error class and its fields across', () => {
    const lost = errorOf(structuredClone(wireError(new DeltaConcurrentModification('t', 8))));
    expect(lost).toBeInstanceOf(DeltaConcurrentModification);
    expect(lost).toMatchObject({
      root: 't',
      attempts: 8,
      message: expect.stringContaining('8 attempts'),
    });
    const fs = Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' });
    expect(errorOf(structuredClone(wireError(fs)))).toMatchObject({
      code: 'ENOSPC',
      message: fs.message,
    });
    expect(errorOf(wireError(new RangeError('r')))).toBeInstanceOf(RangeError);
  });

  it('a worker that dies fails its commit, and the next commit starts another', async () => {
    const t = tablesIn();
    const facts = shop(400);
    const pending = t.worker.commit(commitOf('t', facts, facts));
    await t.worker.close();
    await expect(pending).rejects.toThrow(/Delta commit worker stopped/);
    await t.worker.commit(commitOf('t', facts, facts));
    expect(byItem(await t.worker.readFacts())).toEqual(byItem(facts));
    await t.worker.close();
  });

  it('an idle worker does not keep the process alive', () => {
    const bucket = join(scratch, 'exit');
    const script = join(import.meta.dirname, 'delta-worker-exit.fixture.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, bucket], {
      encoding: 'utf8',
      cwd: join(import.meta.dirname, '..', '..', '..'),
      timeout: 120_000,
    });
    expect(run.stderr).toBe('');
    expect([run.status, run.signal, run.stdout.trim()]).toEqual([0, null, 'committed 1030 facts']);
  });
});
