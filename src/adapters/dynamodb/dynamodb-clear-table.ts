// Deletes every item of a table (replay --rebuild drops a projection before rebuilding it from
// the log): a keys-only scan, then batched deletes.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from './dynamodb-batch.js';
import { scanAll } from './dynamodb-read.js';

export const clearTable = async (
  doc: DynamoDBDocumentClient,
  table: string,
  keyNames: readonly string[],
): Promise<void> => {
  const names = Object.fromEntries(keyNames.map((k, i) => [`#k${i}`, k]));
  const keys = await scanAll(doc, {
    TableName: table,
    ProjectionExpression: Object.keys(names).join(', '),
    ExpressionAttributeNames: names,
  });
  await batchWriteAll(
    doc,
    keys.map((Key) => ({ table, request: { DeleteRequest: { Key } } })),
  );
};
