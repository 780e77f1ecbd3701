// A landing's keys as SqliteWorkerReferenceIndex takes them (LandingStaging): each batch posted
// to the worker as it comes (an items or orders batch's ids as their keys, wireBatch; typed
// arrays transferred), then the register asked of it: its answer, then its commit. The index is
// seen through ReferenceWorkerOwner, so this module does not import it.
import type { CompletionColumns } from '../../domain/completion-columns.js';
import type { DatasetName, KeyBatch, LandingStaging } from '../../ports/reference-index.port.js';
import type { Staged } from './sqlite-reference-index.js';
import {
  keyBatchBuffers,
  type ReferenceRequest,
  wireBatch,
} from './sqlite-reference-worker-protocol.js';

/** what a landing asks of the index that owns the worker */
export interface ReferenceWorkerOwner {
  post(request: ReferenceRequest, transfer?: ArrayBuffer[]): void;
  /** the landing is committed, failed or abandoned: the worker goes */
  release(landing: WorkerLanding): void;
  registerOnWorker(landing: WorkerLanding, staged: Staged, now: number): Promise<CompletionColumns>;
  /** the commit of the landing's register (after its answer) */
  commitOnWorker(landing: WorkerLanding): Promise<void>;
}

export class WorkerLanding implements LandingStaging {
  constructor(
    private readonly index: ReferenceWorkerOwner,
    readonly dataset: DatasetName,
  ) {}

  add(batch: KeyBatch): void {
    const keys = wireBatch(batch);
    this.index.post({ kind: 'add', keys }, keyBatchBuffers(keys));
  }

  register(fileKey: string, stagedKey: string, now: number): Promise<CompletionColumns> {
    return this.index.registerOnWorker(this, { dataset: this.dataset, fileKey, stagedKey }, now);
  }

  committed(): Promise<void> {
    return this.index.commitOnWorker(this);
  }

  abandon(): void {
    this.index.post({ kind: 'abandon' });
    this.index.release(this);
  }
}
