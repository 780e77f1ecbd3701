// Query and Scan over every page, strongly consistent (the adapters read what they just wrote).
import {
  paginateQuery,
  paginateScan,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Item } from './dynamodb-batch.js';

const collect = async (pages: AsyncIterable<{ readonly Items?: Item[] }>): Promise<Item[]> => {
  const found: Item[] = [];
  for await (const page of pages) found.push(...(page.Items ?? []));
  return found;
};

export const queryAll = (
  doc: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'ConsistentRead'>,
): Promise<Item[]> => collect(paginateQuery({ client: doc }, { ...input, ConsistentRead: true }));

export const scanAll = (
  doc: DynamoDBDocumentClient,
  input: Omit<ScanCommandInput, 'ExclusiveStartKey' | 'ConsistentRead'>,
): Promise<Item[]> => collect(paginateScan({ client: doc }, { ...input, ConsistentRead: true }));
