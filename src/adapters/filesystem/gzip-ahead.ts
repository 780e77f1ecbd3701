// Gzip ahead, for the embedded bucket's copies into a gzip'd prefix (Archive's raw files: ~1 s
// of CPU for the 1M-item CSVs, on the critical path at the workflow's end). Told that a copy is
// likely (ObjectStore.prepareCopy), the store gzips the source into a temp file beside the
// target on a worker thread at the lowest priority, so it takes only a core nothing else wants
// (the group's Validate and Transform leave the second one idle for seconds), and the copy then
// renames that file into place instead of compressing. Only what the copy would have written:
// the temp file is used only when the source is still the file it was made from (same inode,
// size and times: a put replaces the file, an edit moves its times), else the copy compresses
// as always. A copy that comes before its file is done stops the worker (whatever it had not
// finished is dropped) and compresses at the normal priority on the threadpool: nothing waits on
// a starved low-priority thread. The worker is stopped only once it is out of its gzip (it checks
// between parts, see WorkerState): terminated inside a zlib stream's construction, a worker
// thread aborts the process. Files prepared and never copied are deleted at the process's
// exit (and, after a crash, by sweepAbandonedTemps like any temp file).
import { unlinkSync } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../node/worker-thread.js';
import {
  identityOf,
  WorkerState,
  type FileIdentity,
  type GzipAheadReply,
  type GzipAheadRequest,
} from './gzip-ahead-protocol.js';

/**
 * How long a stop waits for a busy worker to leave its gzip: one part (1 MiB read and deflated,
 * ~10-30 ms) and its scheduling at nice 19. Past it the worker is terminated anyway.
 */
const PARK_WAIT_MS = 2000;

interface Job {
  readonly from: string;
  readonly temp: string;
  /** the source's identity when done, or null (failed, or the worker stopped first) */
  readonly done: Promise<FileIdentity | null>;
  settled: boolean;
}

export class GzipAhead {
  private worker: Worker | null = null;
  /** the running worker's state (WorkerState), shared with it */
  private state = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  /** by target path */
  private readonly jobs = new Map<string, Job>();
  private readonly replies = new Map<number, (identity: FileIdentity | null) => void>();
  private nextId = 0;
  private readonly onExit = (): void => this.discard();
  private listening = false;

  constructor(private readonly options: { readonly partBytes?: number } = {}) {}

  /** starts gzipping `from` into `temp` (a new file next to `to`) unless `to` has one under way */
  prepare(from: string, to: string, temp: string): void {
    if (this.jobs.has(to)) return;
    const worker = this.running();
    const id = this.nextId++;
    const done = new Promise<FileIdentity | null>((resolve) => this.replies.set(id, resolve));
    const job: Job = { from, temp, done, settled: false };
    void done.then(() => (job.settled = true));
    this.jobs.set(to, job);
    const request: GzipAheadRequest = { id, from, temp, ...this.options };
    worker.postMessage(request);
  }

  /**
   * The temp file holding `from` gzip'd as it is now, for the copy to `to` to rename into place
   * (it is then the caller's); null when there is none: not asked, not done yet (the worker is
   * stopped: the caller compresses now), failed, or the source changed since.
   */
  async take(from: string, to: string): Promise<string | null> {
    const job = this.jobs.get(to);
    if (job === undefined || job.from !== from) return null;
    this.jobs.delete(to);
    if (!job.settled) await this.stop();
    const identity = await job.done;
    const now =
      identity === null ? null : await stat(from, { bigint: true }).then(identityOf, () => null);
    if (identity !== null && identity === now) return job.temp;
    await unlink(job.temp).catch(() => undefined);
    return null;
  }

  /** once every file asked so far is done or failed (tests) */
  async settled(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((job) => job.done));
  }

  /** drops every file prepared and not taken, and stops the worker (synchronous: at exit) */
  discard(): void {
    process.off('exit', this.onExit);
    this.listening = false;
    if (this.worker !== null) {
      this.parkSync();
      void this.worker.terminate();
    }
    this.worker = null;
    for (const job of this.jobs.values()) {
      try {
        unlinkSync(job.temp);
      } catch {
        // never made, or already gone
      }
    }
    this.jobs.clear();
    this.answerAllNotDone();
  }

  private running(): Worker {
    if (this.worker !== null) return this.worker;
    // a small young generation: the parts' deflated buffers are collected as they go (the
    // worker's RSS: ~15 MB idle, ~26 MB while it gzips the 1M-item CSV)
    const shared = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    this.state = new Int32Array(shared);
    const worker = startWorker(import.meta.url, './gzip-ahead-worker', shared, {
      maxYoungGenerationSizeMb: 2,
    });
    worker.on('message', (reply: GzipAheadReply) => {
      // a file that failed (gone, unreadable, changed) is compressed by its copy as always
      this.answer(reply.id, reply.ok ? reply.identity : null);
    });
    worker.on('error', () => undefined); // its jobs end as not done, at its exit
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.answerAllNotDone();
    });
    // never what keeps the process alive: an exit discards what it had not finished (unref'd
    // after the listeners: adding a 'message' listener refs the worker again)
    worker.unref();
    if (!this.listening) process.on('exit', this.onExit);
    this.listening = true;
    this.worker = worker;
    return worker;
  }

  /** stops the worker: every job it had not answered ends as not done */
  private async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) {
      await this.park();
      await worker.terminate();
    }
    this.answerAllNotDone();
  }

  /**
   * Marks the worker stopped: an idle one at once (it will start no job), a busy one asked to
   * drop its job at its next part. Null when that is done, else the value to wait on while the
   * busy worker gets there.
   */
  private askToPark(): number | null {
    for (;;) {
      const was = Atomics.compareExchange(this.state, 0, WorkerState.IDLE, WorkerState.STOPPED);
      if (was === WorkerState.IDLE || was === WorkerState.STOPPED) return null;
      if (was === WorkerState.STOP_ASKED) return was;
      Atomics.compareExchange(this.state, 0, WorkerState.BUSY, WorkerState.STOP_ASKED);
    }
  }

  /** until the worker is out of its gzip, for good (or PARK_WAIT_MS passed) */
  private async park(): Promise<void> {
    const waitOn = this.askToPark();
    if (waitOn === null) return;
    // polled: Atomics.waitAsync is not in this TypeScript lib; a stop is rare (a copy that came
    // before its gzip was done)
    const until = Date.now() + PARK_WAIT_MS;
    while (Atomics.load(this.state, 0) === waitOn && Date.now() < until) await sleep(2);
  }

  /** park(), blocking: at the process's exit nothing can be awaited */
  private parkSync(): void {
    const waitOn = this.askToPark();
    if (waitOn !== null) Atomics.wait(this.state, 0, waitOn, PARK_WAIT_MS);
  }

  private answer(id: number, identity: FileIdentity | null): void {
    this.replies.get(id)?.(identity);
    this.replies.delete(id);
  }

  /** every job not answered yet ends as not done */
  private answerAllNotDone(): void {
    for (const id of [...this.replies.keys()]) this.answer(id, null);
  }
}
