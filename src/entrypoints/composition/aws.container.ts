// AWS: objects in S3, the event log, grouping index, facts and KPIs in DynamoDB, events on
// EventBridge, the workflow in Step Functions. SDK clients are created once per process (Lambda
// container or ECS task); endpoints can point at local servers (AWS_ENDPOINT_URL_S3 /
// AWS_ENDPOINT_URL_DYNAMODB, or explicit options) for tests.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { Container } from 'inversify';
import { StreamingCsvDecoder } from '../../adapters/csv/streaming-csv-decoder.js';
import { DynamoDbEventStore } from '../../adapters/dynamodb/dynamodb-event-store.js';
import { DynamoDbFactStore } from '../../adapters/dynamodb/dynamodb-fact-store.js';
import { DynamoDbKpiStore } from '../../adapters/dynamodb/dynamodb-kpi-store.js';
import { DynamoDbReferenceIndex } from '../../adapters/dynamodb/dynamodb-reference-index.js';
import {
  tableNamesFromEnv,
  type TableNames,
} from '../../adapters/dynamodb/dynamodb-table-setup.js';
import { EventBridgeEventBus } from '../../adapters/eventbridge/eventbridge-event-bus.js';
import { Sha256Hasher } from '../../adapters/node/sha256-hasher.js';
import { SystemClock } from '../../adapters/node/system-clock.js';
import { ParquetStagingCodec } from '../../adapters/parquet/parquet-staging-codec.js';
import { createS3Client } from '../../adapters/s3/s3-client.js';
import { S3ObjectStore } from '../../adapters/s3/s3-object-store.js';
import {
  SfnIngestTaskStarter,
  type LargeFile,
} from '../../adapters/sfn/sfn-ingest-task-starter.js';
import { SfnWorkflowStarter } from '../../adapters/sfn/sfn-workflow-starter.js';
import type { LandFile, LandingPolicy } from '../../application/land-file.use-case.js';
import { CLOCK } from '../../ports/clock.port.js';
import { CSV_DECODER } from '../../ports/csv-decoder.port.js';
import { EVENT_BUS, type EventBus } from '../../ports/event-bus.port.js';
import { EVENT_STORE } from '../../ports/event-store.port.js';
import { FACT_STORE } from '../../ports/fact-store.port.js';
import { HASHER } from '../../ports/hasher.port.js';
import { KPI_STORE } from '../../ports/kpi-store.port.js';
import { LOGGER, type Logger } from '../../ports/logger.port.js';
import { OBJECT_STORE } from '../../ports/object-store.port.js';
import { REFERENCE_INDEX } from '../../ports/reference-index.port.js';
import { STAGING_CODEC } from '../../ports/staging-codec.port.js';
import {
  TASK_RUNNER,
  type TaskName,
  type TaskResult,
  type TaskRunner,
} from '../../ports/task-runner.port.js';
import {
  WORKFLOW_STARTER,
  type GroupTaskInput,
  type WorkflowStart,
  type WorkflowStarter,
} from '../../ports/workflow.port.js';
import { loggerPort } from '../lambda/observability.js';
import { applicationModule } from './application.module.js';
import { retryGroupsOn, type AwsRetry } from './aws-retry.js';
import { bindAnalytics } from './local-analytics.js';
import { TOKENS } from './tokens.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface AwsConfig {
  readonly bucket: string;
  readonly tables: TableNames;
  readonly eventBusName: string;
  /** only the events Lambda has it (the tasks cannot: a CloudFormation cycle) */
  readonly stateMachineArn?: string;
  /** the ingest state machine, which runs the ECS ingest task (only the ingest Lambda has it) */
  readonly ingestStateMachineArn?: string;
  readonly region?: string;
  readonly s3Endpoint?: string;
  readonly dynamoEndpoint?: string;
}

const required = (env: Env, name: string): string => {
  const value = env[name];
  if (value === undefined || value === '')
    throw new Error(`environment variable ${name} is not set`);
  return value;
};

export const awsConfigFromEnv = (env: Env): AwsConfig => {
  const optional = (name: string) =>
    env[name] === undefined || env[name] === '' ? {} : { [name]: env[name] };
  const o = {
    ...optional('STATE_MACHINE_ARN'),
    ...optional('INGEST_STATE_MACHINE_ARN'),
    ...optional('AWS_REGION'),
    ...optional('AWS_ENDPOINT_URL_S3'),
    ...optional('AWS_ENDPOINT_URL_DYNAMODB'),
  };
  return {
    bucket: required(env, 'BUCKET_NAME'),
    tables: tableNamesFromEnv(env),
    eventBusName: required(env, 'EVENT_BUS_NAME'),
    ...(o['STATE_MACHINE_ARN'] === undefined ? {} : { stateMachineArn: o['STATE_MACHINE_ARN'] }),
    ...(o['INGEST_STATE_MACHINE_ARN'] === undefined
      ? {}
      : { ingestStateMachineArn: o['INGEST_STATE_MACHINE_ARN'] }),
    ...(o['AWS_REGION'] === undefined ? {} : { region: o['AWS_REGION'] }),
    ...(o['AWS_ENDPOINT_URL_S3'] === undefined ? {} : { s3Endpoint: o['AWS_ENDPOINT_URL_S3'] }),
    ...(o['AWS_ENDPOINT_URL_DYNAMODB'] === undefined
      ? {}
      : { dynamoEndpoint: o['AWS_ENDPOINT_URL_DYNAMODB'] }),
  };
};

export interface AwsClients {
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  readonly eventBridge: EventBridgeClient;
  readonly sfn: SFNClient;
}

export const createAwsClients = (config: AwsConfig): AwsClients => {
  const region = config.region === undefined ? {} : { region: config.region };
  return {
    s3: createS3Client({
      ...region,
      ...(config.s3Endpoint === undefined ? {} : { endpoint: config.s3Endpoint }),
    }),
    dynamo: new DynamoDBClient({
      ...region,
      ...(config.dynamoEndpoint === undefined ? {} : { endpoint: config.dynamoEndpoint }),
    }),
    eventBridge: new EventBridgeClient(region),
    sfn: new SFNClient(region),
  };
};

/** Refuses to start workflows where STATE_MACHINE_ARN is not given (every function but one). */
const noWorkflow: WorkflowStarter = {
  start: async () => {
    throw new Error('STATE_MACHINE_ARN is not set: only the events function starts workflows');
  },
};

export interface AwsOverrides {
  /** e.g. an in-process bus in tests (there is no local EventBridge) */
  readonly eventBus?: EventBus;
  readonly workflowStarter?: WorkflowStarter;
  readonly logger?: Logger;
  /** landing policy (default: reject the whole file on a row error) */
  readonly policy?: LandingPolicy;
}

export const buildAwsContainer = (
  config: AwsConfig,
  clients: AwsClients,
  overrides: AwsOverrides = {},
): Container => {
  const container = new Container({ defaultScope: 'Singleton' });
  const objects = new S3ObjectStore(clients.s3, config.bucket);
  const { tables } = config;
  container.bind(OBJECT_STORE).toConstantValue(objects);
  container
    .bind(EVENT_STORE)
    .toConstantValue(new DynamoDbEventStore(clients.dynamo, tables.events));
  container
    .bind(EVENT_BUS)
    .toConstantValue(
      overrides.eventBus ?? new EventBridgeEventBus(clients.eventBridge, config.eventBusName),
    );
  container
    .bind(REFERENCE_INDEX)
    .toConstantValue(new DynamoDbReferenceIndex(clients.dynamo, tables.reference));
  container.bind(FACT_STORE).toConstantValue(new DynamoDbFactStore(clients.dynamo, tables.facts));
  container.bind(KPI_STORE).toConstantValue(new DynamoDbKpiStore(clients.dynamo, tables));
  container.bind(CLOCK).toConstantValue(new SystemClock());
  container.bind(HASHER).toConstantValue(new Sha256Hasher());
  container.bind(CSV_DECODER).toConstantValue(new StreamingCsvDecoder());
  container.bind(STAGING_CODEC).toConstantValue(new ParquetStagingCodec());
  container.bind(LOGGER).toConstantValue(overrides.logger ?? loggerPort);
  container
    .bind(WORKFLOW_STARTER)
    .toConstantValue(
      overrides.workflowStarter ??
        (config.stateMachineArn === undefined
          ? noWorkflow
          : new SfnWorkflowStarter(clients.sfn, config.stateMachineArn)),
    );
  if (overrides.policy !== undefined)
    container.bind(TOKENS.LandingPolicy).toConstantValue(overrides.policy);
  bindAnalytics(container, objects);
  container.load(applicationModule);
  return container;
};

/** How one landing went, for the ingest function's logs and metrics. */
export interface LandOutcome {
  readonly status: 'landed' | 'duplicate' | 'rejected';
  readonly rows: number;
  readonly groups: number;
  readonly reason?: string;
}

/** What the Lambda and ECS entrypoints (and `retry --aws`) call: one use case each. */
export interface AwsApp {
  landFile(fileKey: string): Promise<LandOutcome>;
  /** hands a file too big for the ingest Lambda to the ECS ingest task, which lands it */
  startIngestTask(file: LargeFile): Promise<WorkflowStart>;
  startWorkflow(input: GroupTaskInput): Promise<WorkflowStart>;
  runTask(task: TaskName, input: GroupTaskInput & { readonly error?: string }): Promise<TaskResult>;
  sendTaskSuccess(token: string, result: TaskResult): Promise<void>;
  sendTaskFailure(token: string, error: string, cause: string): Promise<void>;
  /** keeps a .waitForTaskToken state with HeartbeatSeconds from timing out while the task runs */
  sendTaskHeartbeat(token: string): Promise<void>;
  /**
   * Starts a new execution, under a name of its own, for each group (the transform-failed ones
   * when none is named). Steps are idempotent: the group appends only what it lacks.
   */
  retryGroups(groupIds: readonly string[], attempt: string): Promise<AwsRetry[]>;
}

export const awsAppOf = (
  container: Container,
  sfn: SFNClient,
  stateMachineArn?: string,
  ingestStateMachineArn?: string,
): AwsApp => ({
  landFile: async (fileKey) => {
    const result = await container.get<LandFile>(TOKENS.LandFile).execute(fileKey);
    if (result._tag === 'Left') {
      return { status: 'rejected', rows: 0, groups: 0, reason: result.left.reason };
    }
    const landed = result.right;
    return {
      status: landed._tag === 'Duplicate' ? 'duplicate' : 'landed',
      rows: landed.rows,
      groups: landed.groups.length,
    };
  },
  startIngestTask: async (file) => {
    if (ingestStateMachineArn === undefined)
      throw new Error('INGEST_STATE_MACHINE_ARN is not set: no ECS ingest task to hand files to');
    return new SfnIngestTaskStarter(sfn, ingestStateMachineArn).start(file);
  },
  startWorkflow: (input) => container.get<WorkflowStarter>(WORKFLOW_STARTER).start(input),
  runTask: (task, input) => container.get<TaskRunner>(TASK_RUNNER).run(task, input),
  sendTaskSuccess: async (token, result) => {
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(result) }),
    );
  },
  retryGroups: retryGroupsOn(
    container,
    stateMachineArn === undefined ? null : new SfnWorkflowStarter(sfn, stateMachineArn),
  ),
  sendTaskHeartbeat: async (token) => {
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
  },
  sendTaskFailure: async (token, error, cause) => {
    // Step Functions caps error at 256 and cause at 32768 characters
    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: token,
        error: error.slice(0, 256),
        cause: cause.slice(0, 32_768),
      }),
    );
  },
});

export type { AwsRetry } from './aws-retry.js';
export type { LargeFile } from '../../adapters/sfn/sfn-ingest-task-starter.js';

let app: AwsApp | undefined;

/** The process's app, built from the environment on first use. */
export const awsApp = (): AwsApp => {
  if (app === undefined) {
    const config = awsConfigFromEnv(process.env);
    const clients = createAwsClients(config);
    app = awsAppOf(
      buildAwsContainer(config, clients),
      clients.sfn,
      config.stateMachineArn,
      config.ingestStateMachineArn,
    );
  }
  return app;
};
