// The data bucket (with its access-log bucket), the landing queue and the DynamoDB tables.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  TABLES,
  type KeyAttribute,
  type TableDefinition,
} from '../../src/adapters/dynamodb/dynamodb-tables.js';
import { INGEST_TIMEOUT_SECONDS, PREFIX } from './layout.js';

export type TableName = keyof typeof TABLES;

export interface StorageProps {
  /** DynamoDB deletion protection; when off, the tables are also deleted with the stack */
  readonly deletionProtection: boolean;
}

const attribute = (key: KeyAttribute): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

const secureQueue = (scope: Construct, id: string, props: sqs.QueueProps): sqs.Queue =>
  new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    ...props,
  });

export class Storage extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  readonly landingQueue: sqs.Queue;
  readonly landingDlq: sqs.Queue;
  readonly tables: Record<TableName, dynamodb.Table>;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    // Buckets are retained on stack deletion: data outlives a redeploy (docs/deploy.md).
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED, // log delivery requires SSE-S3
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'data-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'archive-to-cold-storage',
          prefix: PREFIX.archive,
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
            { storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(90) },
          ],
        },
        { id: 'expire-quarantine', prefix: PREFIX.quarantine, expiration: Duration.days(90) },
        {
          // Delta rewrites and archive moves leave old versions behind: keep them 30 days.
          id: 'expire-old-versions',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });

    this.landingDlq = secureQueue(this, 'LandingDlq', { retentionPeriod: Duration.days(14) });
    this.landingQueue = secureQueue(this, 'LandingQueue', {
      visibilityTimeout: Duration.seconds(6 * INGEST_TIMEOUT_SECONDS),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.landingDlq, maxReceiveCount: 5 },
    });
    this.bucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.SqsDestination(this.landingQueue),
      { prefix: PREFIX.incoming },
    );

    const tables = Object.entries(TABLES).map(([name, def]: [string, TableDefinition]) => [
      name,
      this.table(def, props.deletionProtection),
    ]);
    this.tables = Object.fromEntries(tables) as Record<TableName, dynamodb.Table>;
  }

  private table(def: TableDefinition, deletionProtection: boolean): dynamodb.Table {
    const table = new dynamodb.Table(this, `${def.logicalName}Table`, {
      partitionKey: attribute(def.partitionKey),
      ...(def.sortKey ? { sortKey: attribute(def.sortKey) } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection,
      removalPolicy: deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of def.globalSecondaryIndexes ?? []) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }

  /** environment variables naming every table, for Lambdas and the task */
  tableEnvironment(): Record<string, string> {
    return Object.fromEntries(
      (Object.keys(TABLES) as TableName[]).map((name) => [
        TABLES[name].envVar,
        this.tables[name].tableName,
      ]),
    );
  }
}
