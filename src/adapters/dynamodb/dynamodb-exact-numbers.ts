// Money as exact DynamoDB numbers: written from a decimal string built from cents, read as the
// exact decimal text the table holds (back to cents with parseCents, never through a double).
// Reads use the low-level client on purpose: a
// DocumentClient's unmarshall options live on the shared client config, so setting wrapNumbers
// for one adapter would change every adapter sharing the client.
import {
  GetItemCommand,
  paginateQuery,
  paginateScan,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { formatCents } from '../../domain/money.js';

/** cents as a DynamoDB number written from its exact decimal string, never through a double */
export const decimal = (cents: bigint): NumberValue => NumberValue.from(formatCents(cents));

export type RawItem = Record<string, AttributeValue>;

const collect = async (
  pages: AsyncIterable<{ readonly Items?: RawItem[] }>,
): Promise<RawItem[]> => {
  const found: RawItem[] = [];
  for await (const page of pages) found.push(...(page.Items ?? []));
  return found;
};

/** every page, strongly consistent */
export const rawQueryAll = (
  client: DynamoDBClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'ConsistentRead'>,
): Promise<RawItem[]> => collect(paginateQuery({ client }, { ...input, ConsistentRead: true }));

/** every page, strongly consistent */
export const rawScanAll = (
  client: DynamoDBClient,
  input: Omit<ScanCommandInput, 'ExclusiveStartKey' | 'ConsistentRead'>,
): Promise<RawItem[]> => collect(paginateScan({ client }, { ...input, ConsistentRead: true }));

export const rawGet = async (
  client: DynamoDBClient,
  table: string,
  key: RawItem,
): Promise<RawItem | null> =>
  (await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true })))
    .Item ?? null;

const fail = (what: string, v: unknown): never => {
  throw new TypeError(`DynamoDB attribute ${what} has an unexpected type: ${JSON.stringify(v)}`);
};

export const textOf = (i: RawItem, key: string): string => i[key]?.S ?? fail(key, i[key]);
/** a number attribute as its exact decimal text */
export const decimalOf = (i: RawItem, key: string): string => i[key]?.N ?? fail(key, i[key]);
export const countOf = (i: RawItem, key: string): number => Number(decimalOf(i, key));
export const boolOf = (i: RawItem, key: string): boolean => i[key]?.BOOL ?? fail(key, i[key]);
export const listOf = (i: RawItem, key: string): RawItem[] =>
  (i[key]?.L ?? fail(key, i[key])).map((v) => v.M ?? fail(key, v));
export const textsOf = (i: RawItem, key: string): string[] =>
  i[key] === undefined ? [] : (i[key]?.L ?? fail(key, i[key])).map((v) => v.S ?? fail(key, v));
