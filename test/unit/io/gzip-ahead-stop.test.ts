// The gzip-ahead worker is stopped only once it is out of its gzip. Each part's deflateRawSync
// constructs a zlib stream, and a worker thread terminated during that construction aborts the
// whole process ("close before init", node_zlib.cc: the register worker's brotli streams did it
// once in CI). A copy that comes before its file is done (take) and the exit (discard) stop a
// busy worker: it must have dropped its job, and written its last byte, before it is terminated.
import { existsSync, linkSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { GzipAhead } from '../../../src/adapters/filesystem/gzip-ahead.js';

/** the temp file's size when terminate was called, and a while after (the worker still alive) */
const atTerminate: { temp: string; sizes: number[] }[] = [];
let watched = '';
const sizeOf = (path: string): number => (existsSync(path) ? statSync(path).size : -1);

vi.mock('../../../src/adapters/node/worker-thread.js', async (original) => {
  const real = await original<typeof import('../../../src/adapters/node/worker-thread.js')>();
  return {
    ...real,
    startWorker: (...args: Parameters<typeof real.startWorker>): Worker => {
      const worker = real.startWorker(...args);
      const terminate = worker.terminate.bind(worker);
      // terminate is held back a moment: a worker still in its gzip keeps writing meanwhile
      worker.terminate = async () => {
        const seen = { temp: watched, sizes: [sizeOf(watched)] };
        atTerminate.push(seen);
        await sleep(300);
        seen.sizes.push(sizeOf(watched));
        return terminate();
      };
      return worker;
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'gzip-ahead-stop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// ~48 MB in 4 KiB parts: ~12k zlib streams, seconds of work at nice 19
const source = join(dir, 'items.csv');
writeFileSync(source, Buffer.alloc(48 * 1024 * 1024, '1001,2002,3003,2026-12-03T06:50:00Z\n'));

/** a job under way: its temp file has bytes */
const busyWith = async (ahead: GzipAhead, to: string): Promise<string> => {
  const temp = `${to}.tmp`;
  watched = temp;
  ahead.prepare(source, to, temp);
  const until = Date.now() + 60_000;
  while (sizeOf(temp) <= 0 && Date.now() < until) await sleep(5);
  expect(sizeOf(temp)).toBeGreaterThan(0);
  return temp;
};

describe('GzipAhead stopping a busy worker', () => {
  it('a copy that comes first: the worker has left its gzip before it is terminated', async () => {
    const keepAlive = setInterval(() => undefined, 1000); // the worker is unref'd
    const ahead = new GzipAhead({ partBytes: 4096 });
    atTerminate.length = 0;
    await busyWith(ahead, join(dir, 'a.csv.gz'));
    expect(await ahead.take(source, join(dir, 'a.csv.gz'))).toBeNull();
    clearInterval(keepAlive);
    expect(atTerminate).toHaveLength(1);
    const [{ sizes } = { sizes: [] }] = atTerminate;
    // nothing written once terminate is called (the unfinished temp file is deleted after it)
    expect(sizes[0]).toBeGreaterThan(0);
    expect(sizes[1]).toBe(sizes[0]);
    expect(existsSync(join(dir, 'a.csv.gz.tmp'))).toBe(false);
  });

  it('the exit: discard() parks the worker before it terminates it', async () => {
    const keepAlive = setInterval(() => undefined, 1000);
    const ahead = new GzipAhead({ partBytes: 4096 });
    atTerminate.length = 0;
    const temp = await busyWith(ahead, join(dir, 'b.csv.gz'));
    // discard deletes the temp file at once: a second name for it shows the worker's writes
    const link = join(dir, 'b.watch');
    linkSync(temp, link);
    watched = link;
    ahead.discard();
    await sleep(400);
    clearInterval(keepAlive);
    expect(atTerminate).toHaveLength(1);
    const [{ sizes } = { sizes: [] }] = atTerminate;
    expect(sizes[0]).toBeGreaterThan(0);
    expect(sizes[1]).toBe(sizes[0]);
    expect(existsSync(temp)).toBe(false);
  });
});
