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
import { createRequire } from 'node:module';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnalyticsCommit, AnalyticsTables } from '../../ports/analytics-tables.port.js';
import type { KpiFilter } from '../../ports/kpi-store.port.js';
import type { DeltaAnalyticsTables } from './delta-analytics-tables.js';
import { factBytesBuffers, factBytesOf } from './delta-fact-bytes.js';
import {
  type CommitReply,
  type CommitRequest,
  type DeltaWorkerSetup,
  errorOf,
} from './delta-worker-protocol.js';

export interface DeltaWorkerOptions extends DeltaWorkerSetup {
  /** commits of fewer facts run inline: a worker's start costs ~0.3 s of the other core */
  readonly minFacts?: number;
  /** the worker's heap limits (default: Node's) */
  readonly resourceLimits?: ResourceLimits;
}

export const DELTA_WORKER_MIN_FACTS = 20_000;

/**
 * The worker's entry beside this module: compiled (.js), it is started as it is; run from the
 * TypeScript sources (tsx, vitest), the worker registers tsx's ESM hooks first (a worker does
 * not inherit the loader hooks of the thread that starts it).
 */
function startWorker(options: DeltaWorkerOptions): Worker {
  const here = fileURLToPath(import.meta.url);
  const setup: DeltaWorkerSetup = {
    bucket: options.bucket,
    gzipped: options.gzipped,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  };
  const limits =
    options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits };
  if (here.endsWith('.js')) {
    return new Worker(new URL('./delta-commit-worker.js', import.meta.url), {
      workerData: setup,
      ...limits,
    });
  }
  // tsx's ESM API ("import" condition of tsx/esm/api, beside the "require" one)
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const entry = new URL('./delta-commit-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(pathToFileURL(api).href)})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: setup, ...limits });
}

interface Pending {
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

export class DeltaWorkerTables implements AnalyticsTables {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** the last commit in call order (settled or not) */
  private tail: Promise<void> = Promise.resolve();
  private running = 0;

  constructor(
    private readonly inline: DeltaAnalyticsTables,
    private readonly options: DeltaWorkerOptions,
  ) {}

  async commit(change: AnalyticsCommit): Promise<void> {
    const minFacts = this.options.minFacts ?? DELTA_WORKER_MIN_FACTS;
    if (change.facts.length < minFacts) return this.serially(() => this.inline.commit(change));
    const { transactionId, dates, kpis } = change;
    const bytes = factBytesOf(change.orderIds, change.facts);
    return this.serially(() =>
      this.post({ id: this.nextId++, change: { transactionId, dates, kpis }, bytes }),
    );
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

  /** stops the worker (a commit still running fails); the next big commit starts one again */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
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

  private post(request: CommitRequest): Promise<void> {
    const worker = this.workerNow();
    return new Promise<void>((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      // kept alive only while a commit is out: an idle worker never holds the process open
      worker.ref();
      worker.postMessage(request, factBytesBuffers(request.bytes));
    });
  }

  private workerNow(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = startWorker(this.options);
    worker.unref();
    worker.on('message', (reply: CommitReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) waiting?.resolve();
      else waiting?.reject(errorOf(reply.error));
    });
    // a crash (uncaught error, out of memory) or an exit fails every commit still out
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      const waiting = [...this.pending.values()];
      this.pending.clear();
      waiting.forEach((p) => p.reject(error));
    };
    worker.on('error', fail);
    worker.on('exit', (code) =>
      fail(new Error(`the Delta commit worker stopped (exit code ${code}) before answering`)),
    );
    this.worker = worker;
    return worker;
  }
}
