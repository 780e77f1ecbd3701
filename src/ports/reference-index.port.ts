// The grouping index (spec section 3): which keys have landed, where their current version is
// staged, and which orders are complete. Each change of an order's content is reported exactly
// once, even when two landings race.
import type { CompletionColumns } from '../domain/completion-columns.js';
import type { DatasetName } from '../domain/datasets.js';
import type { OrderLacks } from '../domain/order-completion.slice.js';
import type { OrderCompletion, RowLocation } from '../domain/order-completion.types.js';

interface LandingBase {
  readonly fileKey: string;
  /** key of the typed Parquet copy under staging/ */
  readonly stagedKey: string;
  /**
   * When given, the keys are handed over: the index may call it once it has read them (empties
   * the columns, the biggest live set of a big landing's register) and must not read them after.
   */
  readonly release?: () => void;
  /**
   * When given, the rows' hashes as words, row r's at [2r] (low) and [2r + 1] (high) as
   * rowHashWords gives them: `hashes` spelled (hexOfWords), read instead of `hashes` by an index
   * that keeps hashes as bytes. A 3M-item landing's hashes as strings were ~120 MB.
   */
  readonly hashWords?: Uint32Array;
}

/** The keys of one landed file, column by column; hashes fingerprint each row's content. */
export type LandingKeys =
  | (LandingBase & {
      readonly dataset: 'orders';
      readonly orderIds: readonly string[];
      readonly numOfItems: Float64Array;
      /** orders.created_at, epoch ms */
      readonly createdAt: Float64Array;
      readonly hashes: readonly string[];
    })
  | (LandingBase & {
      readonly dataset: 'order_items';
      readonly itemIds: readonly string[];
      readonly orderIds: readonly string[];
      readonly productIds: readonly string[];
      readonly hashes: readonly string[];
    })
  | (LandingBase & {
      readonly dataset: 'products';
      readonly productIds: readonly string[];
      readonly hashes: readonly string[];
    });

// The completion shapes are the order-completion decider's own (src/domain). A landing's answer
// is their columnar form (one 1M-item landing completes ~333k orders naming ~2.3M staged rows:
// as objects that was the biggest live set of the ingest); completionsOf spells it out.
export type { CompletionColumns, RowLocation };
/** An order complete with new content: where its order row, items and products are staged. */
export type CompletedOrder = OrderCompletion;
/** An order seen but not complete, with what it lacks (order row, k of n items, products). */
export type PendingOrder = OrderLacks;

/**
 * One decoded batch's keys, as the batch holds them (an empty cell is null, read as ''; a
 * missing number is NaN), with the rows' hashes as text or as words (LandingKeys' forms).
 */
type HashesOfBatch =
  | { readonly hashWords: Uint32Array; readonly hashes?: undefined }
  | { readonly hashes: readonly string[]; readonly hashWords?: undefined };
export type KeyBatch = HashesOfBatch &
  (
    | {
        readonly dataset: 'orders';
        readonly orderIds: readonly (string | null)[];
        readonly numOfItems: Float64Array;
        readonly createdAt: Float64Array;
      }
    | {
        readonly dataset: 'order_items';
        readonly itemIds: readonly (string | null)[];
        readonly orderIds: readonly (string | null)[];
        readonly productIds: readonly (string | null)[];
      }
    | { readonly dataset: 'products'; readonly productIds: readonly (string | null)[] }
  );

/**
 * A landing's keys handed over batch by batch while the file is still being decoded, so an
 * index can take them in meanwhile (e.g. on another thread). `register` then answers what
 * ReferenceIndex.register answers for the keys added, in the order added, and `committed` says
 * when that register is durable; `abandon` forgets them (a rejected or failed landing): nothing
 * is registered before `register`.
 */
export interface LandingStaging {
  /** the batch is handed over: the caller does not change its columns afterwards */
  add(keys: KeyBatch): void;
  /**
   * The register's answer. It may come before the register is committed (the local index's
   * worker answers as soon as the columns are computed, then writes the orders' states and the
   * landing record and commits): until `committed` resolves, the caller may only do what is
   * harmless if the register never happened (write content-named objects), never record that
   * it happened (append an event).
   */
  register(fileKey: string, stagedKey: string, now: number): Promise<CompletionColumns>;
  /**
   * Called once register has answered: resolves when that register is committed, rejects when
   * it failed after answering (then nothing of the landing was registered, and registering it
   * again answers anew). An index that commits before it answers resolves at once.
   */
  committed(): Promise<void>;
  abandon(): void;
}

/** the landing begin is asked about: its keys, and its landed file's size */
export interface LandingSize {
  readonly fileKey: string;
  readonly stagedKey: string;
  readonly bytes: number;
  /**
   * the time its register will be given (LandingStaging.register's `now`), when known at begin:
   * an index may then write what depends on it (an order's first-seen time) batch by batch
   */
  readonly now?: number;
}

export interface ReferenceIndex {
  /**
   * Optional: starts taking a landing's keys batch by batch (its staging's register is then
   * called with the same fileKey and stagedKey). An index without it, or answering undefined
   * (e.g. a file too small to be worth it), is given the whole landing's keys at once
   * (register), gathered by the caller.
   */
  begin?(dataset: DatasetName, landing: LandingSize): LandingStaging | undefined;
  /**
   * Records a landed file's keys and returns the orders that became complete, or complete
   * with new content, through it: an order is returned when it is complete and its fingerprint
   * differs from the last one returned for it (content A, B, A is returned three times; an
   * identical re-delivery not at all). Each such change is returned by exactly one landing; the
   * same landing (stagedKey) registered again gets the answer of its first registration.
   * The answer is those CompletedOrders as columns (completionsOf spells them out).
   */
  register(landing: LandingKeys, now: number): Promise<CompletionColumns>;
  /** orders seen but not complete, sorted by order id */
  pending(): Promise<PendingOrder[]>;
  /** processed (completed) order count, for status */
  completedCount(): Promise<number>;
  /** marks a dataset file as fully processed when none of its rows await completion */
  filesWhollyCompleted(fileKeys: readonly string[]): Promise<string[]>;
  /** forgets everything (replay --rebuild registers every landing again, in log order) */
  reset(): Promise<void>;
}

export const REFERENCE_INDEX = Symbol.for('ReferenceIndex');
export type { DatasetName };
