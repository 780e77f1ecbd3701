// The SQLite reference index with a big landing's register on a worker thread
// (sqlite-reference-worker.ts), so it overlaps the landing's decode: the landing hands each
// decoded batch over (begin/add) and the worker takes it in meanwhile on its own connection
// (SqliteReferenceIndex.openLanding/addToLanding). An order_items landing's IMMEDIATE
// transaction is opened at begin and its set statements run batch by batch, and so are an orders
// landing's when begin is given its register's time; other landings stage TEMP rows and open it
// at register. At register the worker finishes the same
// transaction as the inline index: an order_items landing's answer (the completion columns) is
// sent as soon as it is computed, and the orders' states, the landing record and the commit
// follow while the landing writes its staged object and manifest (LandingStaging.committed
// says when the register is committed). The crash and race semantics are the inline index's:
// everything happens in that one transaction, which commits or rolls back whole (a worker that
// dies holding it leaves nothing: its connection closes uncommitted), and the landing records
// nothing before the commit. While a landing whose transaction opened at begin is on the worker,
// the file's write lock is held: this process must not write to state.db on its own connection
// until the landing registers or abandons (LandFile does not; another process waits, as for any
// register).
//
// begin() takes a landing onto the worker only when it is an order_items landing (where the
// register's time is) or an orders landing given its register's time (defaultDatasets), its file's
// size is within [minBytes, maxBytes], no other landing has the worker, and a core is spare
// (node/spare-core.ts); else it returns undefined and the caller gathers the keys and calls
// register, which runs inline, as the SQLite index always did. The limits are measured
// (docs/performance.md, round 4): below, little decode is left to overlap; above, the worker's
// memory is untried. A worker serves one landing: started at begin, or ahead of it by prewarm (its
// start, ~0.25 s compiled and ~0.6 s under tsx, runs on the other core) and stopped once it has
// committed. It keeps the process alive only while a register waits on it (unref'd otherwise), and
// close() stops it. Registers run one at a time in call order, whichever thread runs them, and the
// reads wait for them. Only the local composition uses it: the worker opens the database file by
// its path.
import type { Worker } from 'node:worker_threads';
import type { CompletionColumns } from '../../domain/completion-columns.js';
import type {
  DatasetName,
  LandingKeys,
  LandingSize,
  LandingStaging,
  PendingOrder,
  ReferenceIndex,
} from '../../ports/reference-index.port.js';
import { spareCoreSince, workerBusy } from '../node/spare-core.js';
import { errorOf } from '../node/worker-error.js';
import { startWorker } from '../node/worker-thread.js';
import type { SqliteReferenceIndex, Staged } from './sqlite-reference-index.js';
import { type ReferenceWorkerOwner, WorkerLanding } from './sqlite-reference-worker-landing.js';
import type { ReferenceReply, ReferenceRequest } from './sqlite-reference-worker-protocol.js';

export interface ReferenceWorkerOptions {
  /** the state database file the inline index has open */
  readonly path: string;
  /** landings of files smaller than this stay inline (default REFERENCE_WORKER_MIN_BYTES) */
  readonly minBytes?: number;
  /** landings of files bigger than this stay inline (default REFERENCE_WORKER_MAX_BYTES) */
  readonly maxBytes?: number;
  /** whether a core is free for the worker now (default: spareCoreSince, from construction) */
  readonly spareCore?: () => boolean;
  /** the datasets whose landings may go to the worker (default: order_items) */
  readonly datasets?: readonly DatasetName[];
  /** keep one worker for every landing instead of one per landing (tests: many small ones) */
  readonly reuseWorker?: boolean;
}

/** ~90k order items (92 bytes a row): one decoded batch or two, little decode to overlap */
export const REFERENCE_WORKER_MIN_BYTES = 8 * 2 ** 20;
/**
 * ~3.4M order items: measured up to the 3M-item file (268 MiB), where the worker's memory lifts
 * the landing's peak RSS by ~230 MB (run peak 1,349 against 1,297 MB inline); bigger files are
 * registered inline until measured
 */
export const REFERENCE_WORKER_MAX_BYTES = 300 * 2 ** 20;

/**
 * The landings the worker takes unless told otherwise: order_items, and orders when the landing
 * gives its register's time at begin, so their set statements run batch by batch while the file
 * decodes (an orders landing without it only stages TEMP rows there: ~80 ms of its ~1 s register,
 * which then runs after the decode as inline, docs/performance.md "Round 7" and "Round 14: land9")
 */
const defaultDatasets = (landing: LandingSize): readonly DatasetName[] =>
  landing.now === undefined ? ['order_items'] : ['order_items', 'orders'];

/** the register waiting on the worker: its answer, then its commit (or a failure) */
interface Waiting {
  answered: (c: CompletionColumns) => void;
  committed: () => void;
  failed: (e: Error) => void;
  /** whether the answer came (then a stopped worker stopped before committing) */
  answer: boolean;
}

export class SqliteWorkerReferenceIndex implements ReferenceIndex, ReferenceWorkerOwner {
  private worker: Worker | null = null;
  /** the landing that has the worker, until its register is committed or it is abandoned */
  private holder: WorkerLanding | null = null;
  /** why the worker stopped, for the landing that had it */
  private stopped: Error | null = null;
  private waiting: Waiting | null = null;
  /** a landing's commit, once its register is asked (kept as long as the landing is) */
  private readonly commits = new WeakMap<WorkerLanding, Promise<void>>();
  private tail: Promise<unknown> = Promise.resolve();
  private readonly spareCore: () => boolean;
  /** releases the worker's count as busy (spare-core.ts) when its landing is committed */
  private idle: () => void = () => undefined;

  constructor(
    private readonly inline: SqliteReferenceIndex,
    private readonly options: ReferenceWorkerOptions,
  ) {
    this.spareCore = options.spareCore ?? spareCoreSince();
  }

  /** a landing on the worker, when it can have it (see the header); else undefined */
  begin(dataset: DatasetName, landing: LandingSize): LandingStaging | undefined {
    const { minBytes = REFERENCE_WORKER_MIN_BYTES, maxBytes = REFERENCE_WORKER_MAX_BYTES } =
      this.options;
    if (!(this.options.datasets ?? defaultDatasets(landing)).includes(dataset)) return undefined;
    if (landing.bytes < minBytes || landing.bytes > maxBytes) return undefined;
    if (this.holder !== null || this.waiting !== null || !this.coreSpare()) return undefined;
    const staging = new WorkerLanding(this, dataset);
    this.holder = staging;
    this.idle = workerBusy();
    this.stopped = null;
    this.worker ??= this.start();
    const { fileKey, stagedKey, now } = landing;
    this.post({
      kind: 'open',
      staged: { dataset, fileKey, stagedKey },
      ...(now === undefined ? {} : { now }),
    });
    return staging;
  }

  /**
   * Starts the worker ahead of a big landing, so its start (~0.1-0.25 s) is not on that
   * landing's path: begin takes it. Unref'd, it never keeps the process alive; close stops it.
   */
  prewarm(): void {
    if (this.worker !== null) return;
    this.worker = this.start();
    // after start's listeners (a 'message' listener refs the worker again)
    this.worker.unref();
  }

  /** a whole landing's keys (replay, rebuild: no decode to overlap) inline */
  async register(landing: LandingKeys, now: number): Promise<CompletionColumns> {
    return this.serially(() => this.inline.register(landing, now));
  }

  async pending(): Promise<PendingOrder[]> {
    await this.settled();
    return this.inline.pending();
  }

  async completedCount(): Promise<number> {
    await this.settled();
    return this.inline.completedCount();
  }

  async filesWhollyCompleted(fileKeys: readonly string[]): Promise<string[]> {
    await this.settled();
    return this.inline.filesWhollyCompleted(fileKeys);
  }

  async reset(): Promise<void> {
    await this.settled();
    await this.inline.reset();
  }

  /** stops the worker (a register it was running fails, and rolls back) */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }

  post(request: ReferenceRequest, transfer: ArrayBuffer[] = []): void {
    this.worker?.postMessage(request, transfer);
  }

  /** the landing is committed, failed or abandoned: its worker stops (unless reused) */
  release(landing: WorkerLanding): void {
    if (this.holder !== landing) return;
    this.holder = null;
    this.idle();
    const worker = this.worker;
    if (worker === null) return;
    worker.unref();
    if (this.options.reuseWorker === true) return;
    this.worker = null;
    void worker.terminate();
  }

  /**
   * The worker's answer to the holder's register, in turn with the other registers. The answer
   * may come before the register commits (commitOnWorker); the next register, the reads and the
   * worker's release wait for the commit.
   */
  registerOnWorker(landing: WorkerLanding, staged: Staged, now: number) {
    let answered: (c: CompletionColumns) => void = () => undefined;
    let refused: (e: Error) => void = () => undefined;
    const answer = new Promise<CompletionColumns>((resolve, reject) => {
      answered = resolve;
      refused = reject;
    });
    const commit = this.serially(
      () =>
        new Promise<void>((resolve, reject) => {
          const failed = (e: Error): void => {
            this.release(landing);
            refused(e);
            reject(e);
          };
          if (this.stopped !== null || this.worker === null) {
            failed(this.stopped ?? new Error('the reference index worker is not running'));
            return;
          }
          this.waiting = {
            answered,
            committed: () => {
              this.release(landing);
              resolve();
            },
            failed,
            answer: false,
          };
          // the landing awaits the answer and the commit: the worker keeps the process alive
          // until both came
          this.worker.ref();
          this.post({ kind: 'register', staged, now });
        }),
    );
    // a failure before the answer is the answer's (its caller never asks for the commit)
    commit.catch(() => undefined);
    this.commits.set(landing, commit);
    return answer;
  }

  /** the commit of the landing's register, once registerOnWorker asked it */
  commitOnWorker(landing: WorkerLanding): Promise<void> {
    return (
      this.commits.get(landing) ??
      Promise.reject(new Error('the landing asked for its commit before its register'))
    );
  }

  /** the spare-core check (a method, so a benchmark can force the worker) */
  protected coreSpare(): boolean {
    return this.spareCore();
  }

  private settled(): Promise<unknown> {
    return this.tail;
  }

  private serially<T>(run: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(run);
    // settled, not the answer: a tail holding the last answer kept a 3M landing's completion
    // columns (~300 MB) alive through the workflow after it
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private start(): Worker {
    const worker = startWorker(import.meta.url, './sqlite-reference-worker', {
      path: this.options.path,
    });
    // never what keeps the process alive, but while a register waits on it
    worker.unref();
    const fail = (error: (waiting: Waiting | null) => Error): void => {
      // a worker stopped after its landing (release) is no longer this.worker
      if (this.worker !== worker) return;
      this.worker = null;
      const waiting = this.waiting;
      this.waiting = null;
      this.stopped = error(waiting);
      waiting?.failed(this.stopped);
    };
    worker.on('message', (reply: ReferenceReply) => {
      const waiting = this.waiting;
      if (reply.kind === 'answer') {
        if (waiting === null) return;
        waiting.answer = true;
        waiting.answered(reply.completed);
        return;
      }
      this.waiting = null;
      if (reply.kind === 'committed') waiting?.committed();
      else waiting?.failed(errorOf(reply.error));
    });
    worker.on('error', (e) =>
      fail(() => new Error(`the reference index worker failed: ${e.message}`, { cause: e })),
    );
    worker.on('exit', (code) =>
      fail(
        (waiting) =>
          new Error(
            `the reference index worker stopped (exit code ${code}) before ` +
              `${waiting?.answer === true ? 'committing' : 'answering'}: ` +
              'the landing was not registered',
          ),
      ),
    );
    return worker;
  }
}
