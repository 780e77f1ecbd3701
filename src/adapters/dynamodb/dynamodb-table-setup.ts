// Creates tables from TABLES (the same data the CDK stack deploys), for tests and local runs.
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type AttributeDefinition,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLES, type KeyAttribute, type TableDefinition } from './dynamodb-tables.js';

export type LogicalTable = keyof typeof TABLES;
export type TableNames = Readonly<Record<LogicalTable, string>>;

const keySchema = (pk: KeyAttribute, sk?: KeyAttribute) => [
  { AttributeName: pk.name, KeyType: 'HASH' as const },
  ...(sk === undefined ? [] : [{ AttributeName: sk.name, KeyType: 'RANGE' as const }]),
];

const attributesOf = (def: TableDefinition): AttributeDefinition[] => {
  const all = [
    def.partitionKey,
    def.sortKey,
    ...(def.globalSecondaryIndexes ?? []).flatMap((g) => [g.partitionKey, g.sortKey]),
  ];
  const byName = new Map<string, KeyAttribute>();
  for (const a of all) if (a !== undefined) byName.set(a.name, a);
  return [...byName.values()].map((a) => ({ AttributeName: a.name, AttributeType: a.type }));
};

export const createTable = async (
  client: DynamoDBClient,
  def: TableDefinition,
  name: string,
): Promise<void> => {
  const gsis = def.globalSecondaryIndexes ?? [];
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: keySchema(def.partitionKey, def.sortKey),
      AttributeDefinitions: attributesOf(def),
      ...(gsis.length === 0
        ? {}
        : {
            GlobalSecondaryIndexes: gsis.map((g) => ({
              IndexName: g.indexName,
              KeySchema: keySchema(g.partitionKey, g.sortKey),
              Projection: { ProjectionType: 'ALL' },
            })),
          }),
    }),
  );
  // Polled here rather than with waitUntilTableExists, whose minimum delay is 20 s.
  for (let i = 0; i < 200; i++) {
    const out = await client.send(new DescribeTableCommand({ TableName: name }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`table ${name} did not become ACTIVE`);
};

/** Creates every table of TABLES, each named `${prefix}-${logicalName}`; returns the names. */
export const createTables = async (client: DynamoDBClient, prefix: string): Promise<TableNames> => {
  const entries = Object.entries(TABLES) as Array<[LogicalTable, TableDefinition]>;
  const names = Object.fromEntries(
    entries.map(([k, d]) => [k, `${prefix}-${d.logicalName}`]),
  ) as Record<LogicalTable, string>;
  await Promise.all(entries.map(([k, d]) => createTable(client, d, names[k])));
  return names;
};

export const deleteTables = async (client: DynamoDBClient, names: TableNames): Promise<void> => {
  await Promise.all(
    Object.values(names).map((n) => client.send(new DeleteTableCommand({ TableName: n }))),
  );
};

/** The physical table names from the environment variables named in TABLES. */
export const tableNamesFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
): TableNames => {
  const entries = Object.entries(TABLES) as Array<[LogicalTable, TableDefinition]>;
  return Object.fromEntries(
    entries.map(([k, d]) => {
      const value = env[d.envVar];
      if (value === undefined || value === '')
        throw new Error(`environment variable ${d.envVar} is not set`);
      return [k, value];
    }),
  ) as Record<LogicalTable, string>;
};
