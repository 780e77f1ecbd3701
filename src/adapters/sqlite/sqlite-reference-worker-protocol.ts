// What crosses between SqliteWorkerReferenceIndex and its worker (sqlite-reference-worker.ts):
// a landing's key batches (an order_items or orders batch's ids as the keys the worker keeps,
// typed where they are integers: wireKeyColumn; other string columns cloned; typed arrays
// transferred), the register's answer (its location columns shared when they live in
// SharedArrayBuffers, as the register builds them; else copied when the worker still reads them
// for the landing record, or transferred), then its commit, and an error as
// node/worker-error.ts sends it.
import * as workerThreads from 'node:worker_threads';
import type { CompletionColumns } from '../../domain/completion-columns.js';
import type { KeyBatch } from '../../ports/reference-index.port.js';
import type { WireError } from '../node/worker-error.js';
import type { Staged } from './sqlite-reference-index.js';
import {
  isTypedKeys,
  type IdColumn,
  type KeyColumn,
  wireKeyColumn,
} from './sqlite-reference-landing-items.js';
import type { ItemKeyBatch, OrderKeyBatch } from './sqlite-reference-rows.js';

/** what the worker opens: the state database file (WAL, shared with this thread's handle) */
export interface ReferenceWorkerSetup {
  readonly path: string;
}

export type ReferenceRequest =
  /**
   * a landing starts (SqliteReferenceIndex.openLanding: order_items opens its transaction, and
   * orders too when its register's time is given)
   */
  | { readonly kind: 'open'; readonly staged: Staged; readonly now?: number }
  | { readonly kind: 'add'; readonly keys: KeyBatch | ItemKeyBatch | OrderKeyBatch }
  /** the IMMEDIATE transaction; replied to by an answer then committed, or by failed */
  | { readonly kind: 'register'; readonly staged: Staged; readonly now: number }
  /** the landing stopped: its TEMP rows go */
  | { readonly kind: 'abandon' };

export type ReferenceReply =
  /** the register's answer, computed: not committed yet (an order_items landing's may be) */
  | { readonly kind: 'answer'; readonly completed: CompletionColumns }
  /** the register answered is committed: the last reply to it */
  | { readonly kind: 'committed' }
  /** the register failed, before or after its answer: nothing was registered */
  | { readonly kind: 'failed'; readonly error: WireError };

// Node 21+ can say which buffers may not be transferred (its Buffer pool: an answer read back
// from the landing record views it); Node 20 cannot, and copies them when asked to transfer
const untransferable = (workerThreads as { isMarkedAsUntransferable?: (o: object) => boolean })
  .isMarkedAsUntransferable;

/** the arrays' buffers that may be transferred (the others are copied or, shared, shared), each once */
const buffersOf = (arrays: readonly (ArrayBufferView | undefined)[]): ArrayBuffer[] => [
  ...new Set(
    arrays.flatMap((a) =>
      a !== undefined && a.buffer instanceof ArrayBuffer && untransferable?.(a.buffer) !== true
        ? [a.buffer]
        : [],
    ),
  ),
];

/**
 * A batch as it crosses: an order_items or orders batch's ids as their keys (1M items: 3M id
 * strings cloned one by one, and read back into keys by the worker, cost ~0.35 s of CPU more on
 * the two threads than the keys made here and transferred: docs/performance.md, "Round 14:
 * land9")
 */
export const wireBatch = (keys: KeyBatch): KeyBatch | ItemKeyBatch | OrderKeyBatch =>
  keys.dataset === 'order_items'
    ? {
        ...keys,
        itemIds: wireKeyColumn(keys.itemIds),
        orderIds: wireKeyColumn(keys.orderIds),
        productIds: wireKeyColumn(keys.productIds),
      }
    : keys.dataset === 'orders'
      ? { ...keys, orderIds: wireKeyColumn(keys.orderIds) }
      : keys;

/** an id column when its keys are typed (its buffer then crosses, transferred) */
const typedOnly = (ids: KeyColumn | IdColumn): Uint32Array | Float64Array | undefined =>
  isTypedKeys(ids) ? ids : undefined;

/** a batch's typed arrays' buffers, to transfer (the batch is handed over) */
export const keyBatchBuffers = (keys: KeyBatch | ItemKeyBatch | OrderKeyBatch): ArrayBuffer[] =>
  buffersOf([
    keys.hashWords,
    ...(keys.dataset === 'orders'
      ? [keys.numOfItems, keys.createdAt, typedOnly(keys.orderIds)]
      : []),
    ...(keys.dataset === 'order_items'
      ? [keys.itemIds, keys.orderIds, keys.productIds].map(typedOnly)
      : []),
  ]);

/** the answer's location columns' buffers, to transfer */
export const completionBuffers = (c: CompletionColumns): ArrayBuffer[] =>
  buffersOf([c.orders, c.items, c.products].flatMap((l) => [l.file, l.hi, l.lo]));
