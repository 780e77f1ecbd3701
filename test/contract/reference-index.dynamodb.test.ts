// The ReferenceIndex contract against DynamoDbReferenceIndex on DynamoDB Local, plus the
// crash-rerun guarantee this adapter adds (a landing re-registered gets its completions again).
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDbReferenceIndex } from '../../src/adapters/dynamodb/dynamodb-reference-index.js';
import { createTable } from '../../src/adapters/dynamodb/dynamodb-table-setup.js';
import { TABLES } from '../../src/adapters/dynamodb/dynamodb-tables.js';
import { localDynamoClient, uniqueName } from '../integration/aws-clients.js';
import {
  describeReferenceIndexContract,
  itemsFile,
  ordersFile,
  productsFile,
} from './reference-index.contract.js';

const client = localDynamoClient();
afterAll(() => client.destroy());

const fresh = async () => {
  const table = uniqueName('reference');
  await createTable(client, TABLES.reference, table);
  return {
    port: new DynamoDbReferenceIndex(client, table),
    cleanup: async () => {
      await client.send(new DeleteTableCommand({ TableName: table }));
    },
  };
};

describeReferenceIndexContract('DynamoDbReferenceIndex (DynamoDB Local)', fresh);

describe('DynamoDbReferenceIndex (DynamoDB Local) crash re-run', () => {
  it('returns the same completions when the same landing is registered again', async () => {
    const { port, cleanup } = await fresh();
    await port.register(productsFile('p.csv', ['p1']), 0);
    await port.register(itemsFile('i.csv', [['i1', 'o1', 'p1']]), 0);
    const first = await port.register(ordersFile('o.csv', [['o1', 1]]), 0);
    const again = await port.register(ordersFile('o.csv', [['o1', 1]]), 0);
    expect(first.map((c) => c.orderId)).toEqual(['o1']);
    expect(again).toEqual(first);
    // another landing of the same content does not win it
    expect(await port.register(ordersFile('o-copy.csv', [['o1', 1]]), 0)).toEqual([]);
    await cleanup();
  });
});
