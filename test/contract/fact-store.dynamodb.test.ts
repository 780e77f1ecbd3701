// The FactStore contract against DynamoDbFactStore on DynamoDB Local.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll } from 'vitest';
import { DynamoDbFactStore } from '../../src/adapters/dynamodb/dynamodb-fact-store.js';
import { createTable } from '../../src/adapters/dynamodb/dynamodb-table-setup.js';
import { TABLES } from '../../src/adapters/dynamodb/dynamodb-tables.js';
import { localDynamoClient, uniqueName } from '../integration/aws-clients.js';
import { describeFactStoreKpis } from './fact-store-kpis.contract.js';
import { describeFactStorePeriods } from './fact-store-periods.contract.js';
import { describeFactStoreContract } from './fact-store.contract.js';

const client = localDynamoClient();
afterAll(() => client.destroy());

const factory = async () => {
  const table = uniqueName('facts');
  await createTable(client, TABLES.facts, table);
  return {
    port: new DynamoDbFactStore(client, table),
    cleanup: async () => void (await client.send(new DeleteTableCommand({ TableName: table }))),
  };
};
describeFactStoreContract('DynamoDbFactStore (DynamoDB Local)', factory);
// fewer runs: each one creates a table on DynamoDB Local
describeFactStoreKpis('DynamoDbFactStore (DynamoDB Local)', factory, 25);
describeFactStorePeriods('DynamoDbFactStore (DynamoDB Local)', factory, 25);
