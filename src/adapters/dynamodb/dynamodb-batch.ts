// BatchWriteItem / BatchGetItem over any number of requests, the one way every DynamoDB adapter
// writes and reads in bulk: chunks of 25 writes (100 gets), up to IN_FLIGHT requests at once
// (a 1M-row landing is millions of item writes, which one 25-item request after another cannot
// do inside a Lambda: docs/scaling.md). Items DynamoDB hands back unprocessed, and requests
// refused for throttling, are sent again with exponential backoff and full jitter, a bounded
// number of times; then the call fails loudly, naming how many items did not land: a fact or KPI
// row is never dropped silently. Chunks run concurrently, so one call must never hold two
// writes of the same key (callers write disjoint keys; ordered steps are separate calls).
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { retryLeftovers, withBackoff, type RetryPolicy } from './backoff.js';
import { mapLimit } from './map-limit.js';

export const WRITE_CHUNK = 25;
const GET_CHUNK = 100;
/** requests in flight per call; DynamoDB on-demand absorbs this, the SDK pools sockets */
export const IN_FLIGHT = 32;

export type Key = Record<string, unknown>;
export type Item = Record<string, unknown>;
export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };
export interface TableWrite {
  readonly table: string;
  readonly request: WriteRequest;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseMs: 50, capMs: 2000 };

export class UnprocessedItemsError extends Error {
  constructor(
    readonly unprocessed: number,
    readonly attempts: number,
  ) {
    super(`${unprocessed} DynamoDB write(s) still unprocessed after ${attempts} attempts`);
    this.name = 'UnprocessedItemsError';
  }
}

/** The errors of a request DynamoDB refused for capacity: the SDK retries them a few times
 *  itself; past those, the batch's own backoff tries again before the call fails. */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);
export const isThrottling = (error: unknown): boolean =>
  error instanceof Error && THROTTLING.has(error.name);

const chunks = <A>(all: readonly A[], size: number): A[][] =>
  Array.from({ length: Math.ceil(all.length / size) }, (_, i) =>
    all.slice(i * size, (i + 1) * size),
  );

const count = (byTable: Record<string, readonly unknown[]> | undefined): number =>
  Object.values(byTable ?? {}).reduce((n, list) => n + list.length, 0);

const sendRetryingThrottles = <A>(policy: RetryPolicy, send: () => Promise<A>): Promise<A> =>
  withBackoff({ ...policy, retryOn: isThrottling }, send);

export const batchWriteAll = async (
  doc: DynamoDBDocumentClient,
  writes: readonly TableWrite[],
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<void> => {
  await mapLimit(chunks(writes, WRITE_CHUNK), IN_FLIGHT, async (chunk) => {
    const byTable: Record<string, WriteRequest[]> = {};
    for (const w of chunk) (byTable[w.table] ??= []).push(w.request);
    await retryLeftovers(
      policy,
      byTable,
      count,
      async (pending) => {
        const out = await sendRetryingThrottles(policy, () =>
          doc.send(new BatchWriteCommand({ RequestItems: pending })),
        );
        return (out.UnprocessedItems ?? {}) as Record<string, WriteRequest[]>;
      },
      (pending, attempts) => new UnprocessedItemsError(count(pending), attempts),
    );
  });
};

/** Strongly consistent reads of many keys of one table; absent keys are simply not returned. */
export const batchGetAll = async (
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Key[],
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<Item[]> => {
  const found = await mapLimit(chunks(keys, GET_CHUNK), IN_FLIGHT, async (chunk) => {
    const items: Item[] = [];
    await retryLeftovers(
      policy,
      chunk,
      (pending) => pending.length,
      async (pending) => {
        const out = await sendRetryingThrottles(policy, () =>
          doc.send(
            new BatchGetCommand({
              RequestItems: { [table]: { Keys: pending, ConsistentRead: true } },
            }),
          ),
        );
        items.push(...(out.Responses?.[table] ?? []));
        return out.UnprocessedKeys?.[table]?.Keys ?? [];
      },
      (pending, attempts) => new UnprocessedItemsError(pending.length, attempts),
    );
    return items;
  });
  return found.flat();
};
