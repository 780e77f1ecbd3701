// A landing's keys as SqliteWorkerReferenceIndex takes them (LandingStaging): held until the
// landing reaches minRows, then posted to the worker batch by batch when the index can give it
// the worker (else held to the end and registered inline). The index is seen through
// ReferenceWorkerOwner, so this module does not import it.
import type { CompletionColumns } from '../../domain/completion-columns.js';
import type { DatasetName, KeyBatch, LandingStaging } from '../../ports/reference-index.port.js';
import type { Staged } from './sqlite-reference-index.js';
import {
  keyBatchBuffers,
  keyBatchRows,
  type ReferenceRequest,
} from './sqlite-reference-worker-protocol.js';

/** what a landing asks of the index that owns the worker */
export interface ReferenceWorkerOwner {
  /** the worker for the landing (its TEMP tables opened), or null: the landing stays inline */
  claim(landing: WorkerLanding): WorkerStaging | null;
  post(request: ReferenceRequest, transfer?: ArrayBuffer[]): void;
  /** the landing is answered or abandoned: the worker goes */
  release(landing: WorkerLanding): void;
  registerOnWorker(landing: WorkerLanding, staged: Staged, now: number): Promise<CompletionColumns>;
  registerInline(
    batches: readonly KeyBatch[],
    staged: Staged,
    now: number,
  ): Promise<CompletionColumns>;
}

/** a landing's keys on the worker: batches posted as they come */
export class WorkerStaging {
  constructor(
    private readonly index: ReferenceWorkerOwner,
    private readonly landing: WorkerLanding,
  ) {}

  send(request: ReferenceRequest): void {
    this.index.post(request, request.kind === 'add' ? keyBatchBuffers(request.keys) : []);
  }

  register(fileKey: string, stagedKey: string, now: number): Promise<CompletionColumns> {
    const staged = { dataset: this.landing.dataset, fileKey, stagedKey };
    return this.index.registerOnWorker(this.landing, staged, now);
  }

  abandon(): void {
    this.index.post({ kind: 'abandon' });
    this.index.release(this.landing);
  }
}

/** A landing's keys: held here until minRows, then on the worker when it can have it. */
export class WorkerLanding implements LandingStaging {
  private held: KeyBatch[] = [];
  private rows = 0;
  private decided = false;
  private onWorker: WorkerStaging | null = null;

  constructor(
    private readonly index: ReferenceWorkerOwner,
    readonly dataset: DatasetName,
    private readonly minRows: number,
  ) {}

  add(keys: KeyBatch): void {
    if (this.onWorker !== null) {
      this.onWorker.send({ kind: 'add', keys });
      return;
    }
    this.held.push(keys);
    this.rows += keyBatchRows(keys);
    if (this.decided || this.rows < this.minRows) return;
    // decided once: a landing that stays inline stays so
    this.decided = true;
    this.onWorker = this.index.claim(this);
    if (this.onWorker === null) return;
    for (const held of this.held) this.onWorker.send({ kind: 'add', keys: held });
    this.held = [];
  }

  register(fileKey: string, stagedKey: string, now: number): Promise<CompletionColumns> {
    if (this.onWorker !== null) return this.onWorker.register(fileKey, stagedKey, now);
    const batches = this.held;
    this.held = [];
    return this.index.registerInline(batches, { dataset: this.dataset, fileKey, stagedKey }, now);
  }

  abandon(): void {
    this.onWorker?.abandon();
    this.held = [];
  }
}
