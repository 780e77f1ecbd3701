// The AWS composition over the local servers: S3ObjectStore on s3rver, the DynamoDB adapters on
// DynamoDB Local (fresh tables per app), an in-process bus instead of EventBridge.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Container } from 'inversify';
import { InMemoryEventBus } from '../../src/adapters/in-memory/in-memory-event-bus.js';
import {
  createTables,
  deleteTables,
  type TableNames,
} from '../../src/adapters/dynamodb/dynamodb-table-setup.js';
import {
  awsAppOf,
  buildAwsContainer,
  type AwsApp,
  type AwsClients,
  type AwsOverrides,
} from '../../src/entrypoints/composition/aws.container.js';
import type { Logger } from '../../src/ports/logger.port.js';
import { localDynamoClient, localS3Client, uniqueName } from './aws-clients.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-servers.js';

export const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface AwsTestApp {
  readonly app: AwsApp;
  readonly container: Container;
  readonly clients: AwsClients;
  readonly bucket: string;
  readonly tables: TableNames;
  readonly bus: InMemoryEventBus;
  close(): Promise<void>;
}

export const awsTestApp = async (
  overrides: AwsOverrides = {},
  options: { readonly s3Endpoint?: string } = {},
): Promise<AwsTestApp> => {
  const stub = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const clients: AwsClients = {
    s3: localS3Client(options.s3Endpoint),
    dynamo: localDynamoClient(),
    // never reached: the bus is in process and the workflow starter is given by the test
    eventBridge: new EventBridgeClient({ ...stub, endpoint: 'http://127.0.0.1:9' }),
    sfn: new SFNClient({ ...stub, endpoint: 'http://127.0.0.1:9' }),
  };
  const bucket = uniqueName('bucket');
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const tables = await createTables(clients.dynamo, uniqueName('t'));
  const bus = new InMemoryEventBus();
  const config = { bucket, tables, eventBusName: 'unused' };
  const container = buildAwsContainer(config, clients, {
    eventBus: bus,
    logger: quietLogger,
    ...overrides,
  });
  return {
    app: awsAppOf(container, clients.sfn),
    container,
    clients,
    bucket,
    tables,
    bus,
    close: async () => {
      await deleteTables(clients.dynamo, tables);
      for (const c of Object.values(clients)) c.destroy();
    },
  };
};
