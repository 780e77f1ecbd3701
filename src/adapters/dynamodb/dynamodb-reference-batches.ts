// The grouping index's batched reads and writes, many requests in flight: a 1M-row landing is
// ~3M item writes, which one 25-item BatchWriteItem after another cannot do inside a Lambda's
// 15 minutes (docs/scaling.md). Each request keeps the shared helpers' retry of unprocessed
// items; only independent keys are sent at once (callers never mix two writes of one key).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  WRITE_CHUNK,
  batchGetAll,
  batchWriteAll,
  type Item,
  type Key,
  type TableWrite,
} from './dynamodb-batch.js';
import { mapLimit } from './map-limit.js';

/** requests in flight per landing; DynamoDB on-demand absorbs this, the SDK pools sockets */
export const IN_FLIGHT = 32;
const GET_CHUNK = 100;

const chunked = <T>(xs: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
};

export const parallelWrite = async (
  doc: DynamoDBDocumentClient,
  writes: readonly TableWrite[],
): Promise<void> => {
  await mapLimit(chunked(writes, WRITE_CHUNK), IN_FLIGHT, (c) => batchWriteAll(doc, c));
};

export const parallelGet = async (
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Key[],
): Promise<Item[]> =>
  (await mapLimit(chunked(keys, GET_CHUNK), IN_FLIGHT, (c) => batchGetAll(doc, table, c))).flat();
