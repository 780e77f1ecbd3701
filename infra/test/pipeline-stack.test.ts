// The synthesised deployment, resource by resource: storage, landing, Lambdas, events, tasks,
// state machine, alarms, cdk-nag, and a snapshot of the whole template (IAM: least-privilege.test.ts).
// One real synth (esbuild bundles the Lambdas) serves every test of this file.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../src/adapters/dynamodb/dynamodb-tables.js';
import { ASL_PATH, EVENTS_TIMEOUT_SECONDS, INGEST_TIMEOUT_SECONDS, PREFIX } from '../lib/layout.js';
import {
  logicalIdOf,
  normaliseAssetHashes,
  synthPipeline,
  type Json,
  type Synthesised,
} from './synth.js';

let synth: Synthesised;
beforeAll(() => {
  synth = synthPipeline({ bundle: true });
  // bundles three Lambdas and runs cdk-nag: minutes on a busy machine, never a reason to fail
}, 900_000);

const CONTRACT_ENV = [
  'BUCKET_NAME',
  'EVENTS_TABLE',
  'REFERENCE_TABLE',
  'FACTS_TABLE',
  'ORDER_KPIS_TABLE',
  'CATEGORY_KPIS_TABLE',
  'EVENT_BUS_NAME',
  'POWERTOOLS_SERVICE_NAME',
];

const resourcesOfType = (type: string): Record<string, { Properties: Record<string, unknown> }> =>
  synth.template.findResources(type) as Record<string, { Properties: Record<string, unknown> }>;

describe('bucket', () => {
  it('is encrypted, private, TLS-only, versioned and logged', () => {
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalIdOf(synth.stack.storage.accessLogs) },
      },
    });
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf(synth.stack.storage.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('moves archive/ to colder storage and expires quarantine/', () => {
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: PREFIX.archive,
            Status: 'Enabled',
            Transitions: Match.arrayWith([Match.objectLike({ StorageClass: 'GLACIER' })]),
          }),
          Match.objectLike({ Prefix: PREFIX.quarantine, ExpirationInDays: 90 }),
        ]),
      },
    });
  });

  it('notifies the landing queue of objects created under incoming/ only', () => {
    synth.template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: PREFIX.incoming }] } },
            QueueArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack.storage.landingQueue), 'Arn'] },
          },
        ],
      },
    });
  });
});

describe('landing queue', () => {
  it('hides a message for six ingest timeouts and dead-letters it after 5 receives', () => {
    const ingest =
      resourcesOfType('AWS::Lambda::Function')[logicalIdOf(synth.stack.functions.ingest)];
    expect(ingest?.Properties.Timeout).toBe(INGEST_TIMEOUT_SECONDS);
    synth.template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 6 * INGEST_TIMEOUT_SECONDS,
      RedrivePolicy: {
        deadLetterTargetArn: {
          'Fn::GetAtt': [logicalIdOf(synth.stack.storage.landingDlq), 'Arn'],
        },
        maxReceiveCount: 5,
      },
    });
  });

  it('encrypts every queue and refuses plain-HTTP access to it', () => {
    const queues = resourcesOfType('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(4);
    for (const queue of Object.values(queues)) {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    }
    for (const id of Object.keys(queues)) {
      synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('feeds the ingest Lambda one file at a time, with partial batch failures', () => {
    synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(synth.stack.functions.ingest) },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: Match.anyValue() },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('Lambdas', () => {
  it.each(['ingest', 'events', 'workflowTask'] as const)(
    '%s runs bundled ESM on Node 22 / arm64 with the contract environment',
    (name) => {
      const fn = resourcesOfType('AWS::Lambda::Function')[logicalIdOf(synth.stack.functions[name])];
      expect(fn?.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
      const env = (fn?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(env)).toEqual(expect.arrayContaining(CONTRACT_ENV));
      expect(env.POWERTOOLS_SERVICE_NAME).toBe('shop-pipeline');
    },
  );

  it('gives only the events Lambda the state machine ARN', () => {
    const envOf = (name: 'ingest' | 'events' | 'workflowTask') =>
      (
        resourcesOfType('AWS::Lambda::Function')[logicalIdOf(synth.stack.functions[name])]
          ?.Properties.Environment as { Variables: Record<string, unknown> }
      ).Variables;
    expect(envOf('events').STATE_MACHINE_ARN).toEqual({
      Ref: logicalIdOf(synth.stack.workflow.stateMachine),
    });
    expect(envOf('ingest').STATE_MACHINE_ARN).toBeUndefined();
  });
});

describe('Lambda bundles', () => {
  // Each esbuild bundle is imported by a plain Node process with the contract environment:
  // proves the ESM banner, the copied parquet-wasm binary and the `handler` export.
  it.each(['ingest', 'events', 'workflowTask'] as const)('%s loads and exports handler', (name) => {
    const id = logicalIdOf(synth.stack.functions[name]);
    const fn = synth.template.toJSON().Resources[id] as {
      Properties: { Code: { S3Key: string } };
    };
    // the staged asset directory is named after the hash the S3 key carries
    const hash = fn.Properties.Code.S3Key.replace(/\.zip$/, '');
    const outdir = (synth.stack.node.root as App).outdir;
    const bundle = join(outdir, `asset.${hash}`, 'index.mjs');
    const env = Object.fromEntries(CONTRACT_ENV.map((k) => [k, `test-${k.toLowerCase()}`]));
    const result = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); console.log(typeof m.handler);`,
      ],
      {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          ...env,
          AWS_REGION: 'eu-west-1',
          STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:test',
        },
      },
    );
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.stdout.trim()).toBe('function');
  });
});

describe('DynamoDB tables', () => {
  it.each(Object.values(TABLES))(
    '$logicalName has the keys of TABLES, on demand, PITR, protected',
    (def) => {
      const keySchema = [
        { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
        ...('sortKey' in def ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
      ];
      const indexes = 'globalSecondaryIndexes' in def ? def.globalSecondaryIndexes : [];
      synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: keySchema,
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        ...(indexes.length > 0
          ? {
              GlobalSecondaryIndexes: indexes.map((index) =>
                Match.objectLike({ IndexName: index.indexName }),
              ),
            }
          : {}),
      });
    },
  );

  it('creates exactly the tables of TABLES', () => {
    synth.template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(TABLES).length);
  });
});

describe('events', () => {
  const eventsQueueArn = () => ({
    'Fn::GetAtt': [logicalIdOf(synth.stack.routing.eventsQueue), 'Arn'],
  });
  const dlqArn = () => ({
    'Fn::GetAtt': [logicalIdOf(synth.stack.routing.deliveryDlq), 'Arn'],
  });

  it('routes GroupCompleted to the events queue, with a dead-letter queue for delivery', () => {
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalIdOf(synth.stack.routing.bus) },
      EventPattern: { source: ['shop-pipeline'], 'detail-type': ['GroupCompleted'] },
      Targets: [Match.objectLike({ Arn: eventsQueueArn(), DeadLetterConfig: { Arn: dlqArn() } })],
    });
  });

  it('feeds the events Lambda from that queue: a failed StartExecution is redelivered, then kept', () => {
    // an asynchronous invoke (a rule targeting the Lambda) drops the event after two retries
    synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(synth.stack.functions.events) },
      EventSourceArn: eventsQueueArn(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    synth.template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 6 * EVENTS_TIMEOUT_SECONDS,
      RedrivePolicy: { deadLetterTargetArn: dlqArn(), maxReceiveCount: 5 },
    });
    const rules = synth.template.findResources('AWS::Events::Rule');
    const lambdaTargets = Object.values(rules).flatMap((r) =>
      (r.Properties.Targets as { Arn: unknown }[]).filter((t) =>
        JSON.stringify(t.Arn).includes(logicalIdOf(synth.stack.functions.events)),
      ),
    );
    expect(lambdaTargets).toEqual([]);
  });

  it('routes terminal events (Archived, TransformFailed) to the events queue', () => {
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalIdOf(synth.stack.routing.bus) },
      EventPattern: { source: ['shop-pipeline'], 'detail-type': ['Archived', 'TransformFailed'] },
      Targets: [Match.objectLike({ Arn: eventsQueueArn() })],
    });
    synth.template.resourceCountIs('AWS::Events::Rule', 3);
  });

  it('keeps every pipeline event in the audit log group', () => {
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['shop-pipeline'] },
      Targets: [Match.objectLike({ Arn: Match.objectLike({ 'Fn::Join': Match.anyValue() }) })],
    });
  });
});

describe('tasks', () => {
  it('runs one arm64 Fargate image, container "pipeline", logging to CloudWatch', () => {
    synth.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'pipeline',
          Image: Match.objectLike({ 'Fn::Sub': Match.stringLikeRegexp('container-assets') }),
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
          ReadonlyRootFilesystem: true,
          Environment: Match.arrayWith(
            CONTRACT_ENV.map((name) => Match.objectLike({ Name: name })),
          ),
        }),
      ],
    });
    synth.template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  it('uses two public subnets, no NAT gateway, and free gateway endpoints', () => {
    synth.template.resourceCountIs('AWS::EC2::NatGateway', 0);
    synth.template.resourceCountIs('AWS::EC2::Subnet', 2);
    synth.template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
    synth.template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    synth.template.allResourcesProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
  });
});

describe('task heap', () => {
  it('sizes the Node heap for the Fargate task memory (V8 would not)', () => {
    const def = Object.values(synth.template.findResources('AWS::ECS::TaskDefinition'))[0]!;
    const memory = Number(def.Properties.Memory);
    const env = (
      def.Properties.ContainerDefinitions as { Environment: { Name: string; Value: string }[] }[]
    )[0]!.Environment;
    const options = env.find((e) => e.Name === 'NODE_OPTIONS')?.Value ?? '';
    const heap = Number(/--max-old-space-size=(\d+)/.exec(options)?.[1]);
    expect(heap).toBeGreaterThanOrEqual(memory / 2);
    expect(heap).toBeLessThanOrEqual(memory - 512);
  });
});

describe('state machine', () => {
  it('logs everything and traces with X-Ray', () => {
    synth.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      TracingConfiguration: { Enabled: true },
      DefinitionSubstitutions: Match.objectLike({ AssignPublicIp: 'ENABLED' }),
    });
  });
});

describe('alarms', () => {
  it('watch both dead-letter queues, failed executions and rejected groups and files', () => {
    synth.template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    // failed executions of both state machines: group workflows and big-file landings
    const executionAlarms = Object.values(
      synth.template.findResources('AWS::CloudWatch::Alarm'),
    ).map((a) => JSON.stringify(a));
    for (const machine of [synth.stack.workflow.stateMachine, synth.stack.ingestRoute.stateMachine])
      expect(
        executionAlarms.filter(
          (a) => a.includes('failed + timedOut + aborted') && a.includes(logicalIdOf(machine)),
        ),
      ).toHaveLength(1);
    for (const queue of [synth.stack.storage.landingDlq, synth.stack.routing.deliveryDlq]) {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(queue), 'QueueName'] } },
        ],
        Threshold: 1,
      });
    }
    for (const metric of ['GroupsRejected', 'FilesRejected']) {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'ShopPipeline',
        MetricName: metric,
        Dimensions: [{ Name: 'service', Value: 'shop-pipeline' }],
        Statistic: 'Sum',
      });
    }
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'failed + timedOut + aborted' }),
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'ExecutionsFailed' }),
          }),
        }),
      ]),
    });
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no unsuppressed error', () => {
    const errors = Annotations.fromStack(synth.stack).findError(
      '*',
      Match.stringLikeRegexp('AwsSolutions-.*'),
    );
    expect(errors.map((e) => `${e.id}: ${String(e.entry.data).split('\n')[0]}`)).toEqual([]);
  });

  it('would report an error: the same checks flag a bare queue (the assertion above has teeth)', () => {
    const app = new App();
    const stack = new Stack(app, 'Bare');
    new sqs.Queue(stack, 'Queue');
    Aspects.of(app).add(new AwsSolutionsChecks());
    const errors = Annotations.fromStack(stack).findError(
      '*',
      Match.stringLikeRegexp('AwsSolutions-SQS4'),
    );
    expect(errors).toHaveLength(1);
  });

  it('gives every suppression a reason', () => {
    const resources = synth.template.toJSON().Resources as Record<string, { Metadata?: Json }>;
    const suppressions = Object.values(resources).flatMap((r) => {
      const nag = (
        r.Metadata as { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } }
      )?.cdk_nag;
      return nag?.rules_to_suppress ?? [];
    });
    expect(suppressions.length).toBeGreaterThan(5);
    for (const s of suppressions) expect(s.reason.length, s.id).toBeGreaterThan(40);
  });
});

describe('template snapshot', () => {
  // The ASL text is left out (state-machine.test.ts checks it is deployed as is), so an edit of
  // the workflow does not churn this snapshot; asset hashes are left out for the same reason.
  it('matches, asset hashes and the ASL text aside', () => {
    const template = normaliseAssetHashes(synth.template.toJSON() as Json) as {
      Resources: Record<string, { Type: string; Properties: Record<string, Json> }>;
    };
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type === 'AWS::StepFunctions::StateMachine') {
        resource.Properties.DefinitionString = `<${ASL_PATH}>`;
      }
    }
    expect(template).toMatchSnapshot();
  });
});
