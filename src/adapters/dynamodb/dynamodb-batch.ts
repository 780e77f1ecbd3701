// BatchWriteItem / BatchGetItem over any number of requests: chunks of 25 writes (100 gets), and
// the items DynamoDB hands back unprocessed (throttling) are retried with exponential backoff and
// full jitter, a bounded number of times. Then the call fails loudly, naming how many items did
// not land: a KPI row is never dropped silently.
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { retryLeftovers, type RetryPolicy } from './backoff.js';

export const WRITE_CHUNK = 25;
const GET_CHUNK = 100;

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

const chunks = <A>(all: readonly A[], size: number): A[][] =>
  Array.from({ length: Math.ceil(all.length / size) }, (_, i) =>
    all.slice(i * size, (i + 1) * size),
  );

const count = (byTable: Record<string, readonly unknown[]> | undefined): number =>
  Object.values(byTable ?? {}).reduce((n, list) => n + list.length, 0);

export const batchWriteAll = async (
  doc: DynamoDBDocumentClient,
  writes: readonly TableWrite[],
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<void> => {
  for (const chunk of chunks(writes, WRITE_CHUNK)) {
    const byTable: Record<string, WriteRequest[]> = {};
    for (const w of chunk) (byTable[w.table] ??= []).push(w.request);
    await retryLeftovers(
      policy,
      byTable,
      count,
      async (pending) => {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: pending }));
        return (out.UnprocessedItems ?? {}) as Record<string, WriteRequest[]>;
      },
      (pending, attempts) => new UnprocessedItemsError(count(pending), attempts),
    );
  }
};

/** Strongly consistent reads of many keys of one table; absent keys are simply not returned. */
export const batchGetAll = async (
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Key[],
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<Item[]> => {
  const found: Item[] = [];
  for (const chunk of chunks(keys, GET_CHUNK)) {
    await retryLeftovers(
      policy,
      chunk,
      (pending) => pending.length,
      async (pending) => {
        const out = await doc.send(
          new BatchGetCommand({
            RequestItems: { [table]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        found.push(...(out.Responses?.[table] ?? []));
        return out.UnprocessedKeys?.[table]?.Keys ?? [];
      },
      (pending, attempts) => new UnprocessedItemsError(pending.length, attempts),
    );
  }
  return found;
};
