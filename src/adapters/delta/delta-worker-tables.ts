// AnalyticsTables whose big fact commits run on a worker thread (delta-commit-worker.ts), so the
// Delta writer's CPU (Arrow columns, stats, parquet-wasm encoding: ~2 s per 10^6 facts) overlaps
// the SQLite fact writes the transform runs meanwhile on this thread. The facts go over as
// transferred UTF-8 buffers (delta-fact-bytes.ts), encoded when commit() is called: the caller
// may block this thread right after (better-sqlite3 is synchronous), and the worker has its
// input by then. Small commits (KPIs, small groups) and every read stay inline, on the same
// tables. Commits run one at a time in call order, whichever thread runs them.
//
// Only the embedded (local) composition uses it: the worker opens the bucket folder by its path.
// The AWS handlers keep the inline DeltaAnalyticsTables: an S3 store would need its own client
// in the worker, and the Lambda/ECS bundles would need the worker entry as a second bundle.
import type { Worker } from 'node:worker_threads';
import type { AnalyticsCommit, AnalyticsTables } from '../../ports/analytics-tables.port.js';
import type { KpiFilter } from '../../ports/kpi-store.port.js';
import type { DeltaAnalyticsTables } from './delta-analytics-tables.js';
import { factBytesBuffers, factBytesOf, type FactBytes } from './delta-fact-bytes.js';
import { spareCoreSince, workerBusy } from '../node/spare-core.js';
import { startWorker } from '../node/worker-thread.js';
import {
  type CommitReply,
  type CommitRequest,
  type DeltaWorkerSetup,
  errorOf,
} from './delta-worker-protocol.js';

export interface DeltaWorkerOptions extends DeltaWorkerSetup {
  /** commits of fewer facts run inline: a worker's start costs ~0.3 s of the other core */
  readonly minFacts?: number;
  /** commits of more facts run inline: see DELTA_WORKER_MAX_FACTS */
  readonly maxFacts?: number;
  /** whether a core is free for the worker now (default: spareCoreSince, from construction) */
  readonly spareCore?: () => boolean;
}

export const DELTA_WORKER_MIN_FACTS = 20_000;
/**
 * Overlapping costs memory: while the fact store writes, the worker holds the facts' bytes
 * (~45 MB per 10^6 facts) and its own Parquet encoder. Written whole, a date of 430k facts grew
 * parquet-wasm's memory by ~80 MB, and 3M facts on the worker lifted the run's peak RSS above
 * the fact join's (1.48-1.53 GB against 1.37-1.42, docs/performance.md), so 2M was the limit.
 * Written in slices (delta-parquet.ts), the 3M-item run's 3M facts on the worker cost its peak
 * ~70 MB (1.32-1.35 GB, round 8); a bigger group is still committed inline, after the fact
 * store's write, its memory untested.
 */
export const DELTA_WORKER_MAX_FACTS = 3_500_000;

/** the worker's entry beside this module (compiled or under tsx: node/worker-thread.ts) */
function startCommitWorker(options: DeltaWorkerOptions): Worker {
  const setup: DeltaWorkerSetup = {
    bucket: options.bucket,
    gzipped: options.gzipped,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  };
  return startWorker(import.meta.url, './delta-commit-worker', setup);
}

export class DeltaWorkerTables implements AnalyticsTables {
  private worker: Worker | null = null;
  /** the last commit in call order (settled or not) */
  private tail: Promise<void> = Promise.resolve();
  private running = 0;
  private readonly spareCore: () => boolean;

  constructor(
    private readonly inline: DeltaAnalyticsTables,
    private readonly options: DeltaWorkerOptions,
  ) {
    this.spareCore = options.spareCore ?? spareCoreSince();
  }

  async commit(change: AnalyticsCommit): Promise<void> {
    const { length } = change.facts;
    const minFacts = this.options.minFacts ?? DELTA_WORKER_MIN_FACTS;
    const maxFacts = this.options.maxFacts ?? DELTA_WORKER_MAX_FACTS;
    if (length < minFacts || length > maxFacts || !this.spareCore()) {
      return this.serially(() => this.inline.commit(change));
    }
    const { transactionId, dates, kpis } = change;
    // with no commit before it, the worker starts now: it loads its modules on the other core
    // while this thread encodes the facts (~0.3 s at 10^6), instead of after
    const early = this.running === 0 ? startCommitWorker(this.options) : null;
    let bytes: FactBytes;
    try {
      bytes = factBytesOf(change.orderIds, change.facts);
    } catch (error) {
      void early?.terminate();
      throw error;
    }
    return this.serially(() => this.post({ change: { transactionId, dates, kpis }, bytes }, early));
  }

  async readKpis(filter?: KpiFilter & { readonly version?: number }) {
    await this.settled();
    return this.inline.readKpis(filter);
  }

  async readFacts() {
    await this.settled();
    return this.inline.readFacts();
  }

  async reset(): Promise<void> {
    await this.settled();
    await this.inline.reset();
  }

  /** stops the worker of a commit still running (which then fails) */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }

  /** when every commit called so far has finished (failed or not) */
  private settled(): Promise<void> {
    return this.tail;
  }

  // Started at once when nothing runs (so a worker commit is posted before this call returns),
  // else after the commits before it, whatever their outcome.
  private serially(run: () => Promise<void>): Promise<void> {
    const result = this.running === 0 ? run() : this.tail.then(run);
    this.running += 1;
    const done = () => {
      this.running -= 1;
    };
    this.tail = result.then(done, done);
    return result;
  }

  // One worker per commit: it starts while this thread encodes the bytes and goes at once
  // after answering, and with it parquet-wasm's memory (which never shrinks while it lives).
  private post(request: CommitRequest, started: Worker | null): Promise<void> {
    const worker = started ?? startCommitWorker(this.options);
    this.worker = worker;
    const idle = workerBusy();
    return new Promise<void>((resolve, reject) => {
      let answered = false;
      const settle = (error: Error | null) => {
        if (answered) return;
        answered = true;
        idle();
        if (this.worker === worker) this.worker = null;
        void worker.terminate();
        if (error === null) resolve();
        else reject(error);
      };
      worker.on('message', (reply: CommitReply) => settle(reply.ok ? null : errorOf(reply.error)));
      // an uncaught error, a worker stopped at its heap limit (ERR_WORKER_OUT_OF_MEMORY) or an
      // exit before the answer fails the commit. No heap limit is set: one too small for the
      // worker to start at all aborted the whole process on Node 22 (fatal OOM while it loaded)
      worker.on('error', settle);
      worker.on('exit', (code) =>
        settle(new Error(`the Delta commit worker stopped (exit code ${code}) before answering`)),
      );
      worker.postMessage(request, factBytesBuffers(request.bytes));
    });
  }
}
