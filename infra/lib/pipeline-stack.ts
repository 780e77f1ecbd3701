// The whole AWS deployment: storage, landing, the Lambdas, the event bus, the Fargate tasks, the
// state machine, the alarms, and least-privilege grants that tie them together.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { PipelineAlarms } from './alarms.js';
import { PipelineFunctions } from './functions.js';
import { IngestRoute } from './ingest-route.js';
import {
  BUCKET_ACCESS,
  INGEST_MAX_CONCURRENCY,
  INGEST_TASK_MIN_BYTES,
  keys,
  METRICS_NAMESPACE,
  SERVICE_NAME,
  type BucketAccess,
} from './layout.js';
import { suppressFindings } from './nag-suppressions.js';
import { EventRouting } from './routing.js';
import { Storage } from './storage.js';
import { PipelineTasks } from './tasks.js';
import { Workflow } from './workflow.js';

export interface PipelineStackProps extends StackProps {
  /** DynamoDB deletion protection (context `deletionProtection`, default true) */
  readonly deletionProtection?: boolean;
}

export class PipelineStack extends Stack {
  readonly storage: Storage;
  readonly functions: PipelineFunctions;
  readonly routing: EventRouting;
  readonly tasks: PipelineTasks;
  readonly workflow: Workflow;
  readonly ingestRoute: IngestRoute;
  readonly alarms: PipelineAlarms;

  constructor(scope: Construct, id: string, props: PipelineStackProps = {}) {
    super(scope, id, props);
    this.storage = new Storage(this, 'Storage', {
      deletionProtection: props.deletionProtection ?? true,
    });
    this.routing = new EventRouting(this, 'Events');
    const environment = {
      BUCKET_NAME: this.storage.bucket.bucketName,
      ...this.storage.tableEnvironment(),
      EVENT_BUS_NAME: this.routing.bus.eventBusName,
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    };
    this.functions = new PipelineFunctions(this, 'Functions', { environment });
    this.tasks = new PipelineTasks(this, 'Tasks', { environment });
    this.workflow = new Workflow(this, 'Workflow', {
      tasks: this.tasks,
      workflowTask: this.functions.workflowTask,
    });

    this.ingestRoute = new IngestRoute(this, 'IngestRoute', { tasks: this.tasks });

    const { ingest, events } = this.functions;
    // files at or above the size go to the ECS ingest task (the S3 event gives the size)
    ingest.addEnvironment(
      'INGEST_STATE_MACHINE_ARN',
      this.ingestRoute.stateMachine.stateMachineArn,
    );
    ingest.addEnvironment('INGEST_TASK_MIN_BYTES', String(INGEST_TASK_MIN_BYTES));
    // One file per invocation: a file that exhausts the function's memory or time fails alone
    // (with ten a batch, its crash would count a receive against nine innocent files and send
    // them to the DLQ with it). maxConcurrency caps the landings that contend for the index.
    ingest.addEventSource(
      new SqsEventSource(this.storage.landingQueue, {
        batchSize: 1,
        maxConcurrency: INGEST_MAX_CONCURRENCY,
        reportBatchItemFailures: true,
      }),
    );
    this.routing.routeToEventsFunction(events);
    events.addEnvironment('STATE_MACHINE_ARN', this.workflow.stateMachine.stateMachineArn);
    this.grantData();

    this.alarms = new PipelineAlarms(this, 'Alarms', {
      deadLetterQueues: {
        Landing: this.storage.landingDlq,
        EventDelivery: this.routing.deliveryDlq,
      },
      stateMachine: this.workflow.stateMachine,
    });
    this.outputs();
    suppressFindings(this);
  }

  /** what an operator needs after `cdk deploy` (docs/deploy.md uses these names) */
  private outputs(): void {
    const out = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    out('BucketName', this.storage.bucket.bucketName, 'drop CSV files under incoming/<dataset>/');
    out('StateMachineArn', this.workflow.stateMachine.stateMachineArn, 'one execution per group');
    out('EventBusName', this.routing.bus.eventBusName, 'pipeline events');
    out('OrderKpisTable', this.storage.tables.orderKpis.tableName, 'order KPIs per order_date');
    out('CategoryKpisTable', this.storage.tables.categoryKpis.tableName, 'KPIs per category/date');
    out('IngestLogGroup', this.functions.ingest.logGroup.logGroupName, 'landing logs');
    out('TaskLogGroup', this.tasks.logGroup.logGroupName, 'validate/transform/ingest task logs');
    out(
      'IngestStateMachineArn',
      this.ingestRoute.stateMachine.stateMachineArn,
      'one execution per file too big for the ingest Lambda',
    );
  }

  /** who may touch which prefix, table and bus (docs/deploy.md has the same table) */
  private grantData(): void {
    const { bucket, tables } = this.storage;
    const { ingest, events, workflowTask } = this.functions;
    const taskRole = this.tasks.taskDefinition.taskRole;
    const grantBucket = (who: iam.IGrantable, access: BucketAccess) => {
      access.read.forEach((p) => bucket.grantRead(who, keys(p)));
      access.put.forEach((p) => bucket.grantPut(who, keys(p)));
      access.delete.forEach((p) => bucket.grantDelete(who, keys(p)));
    };

    grantBucket(ingest, BUCKET_ACCESS.ingest);
    tables.events.grantReadWriteData(ingest);
    tables.reference.grantReadWriteData(ingest);
    this.routing.bus.grantPutEventsTo(ingest);
    this.ingestRoute.stateMachine.grantStartExecution(ingest);

    // The ECS ingest task lands what the ingest function would: the same grants, its own role.
    const ingestTaskRole = this.tasks.ingestTaskDefinition.taskRole;
    grantBucket(ingestTaskRole, BUCKET_ACCESS.ingest);
    tables.events.grantReadWriteData(ingestTaskRole);
    tables.reference.grantReadWriteData(ingestTaskRole);
    this.routing.bus.grantPutEventsTo(ingestTaskRole);

    // The events Lambda only starts workflows (and logs/counts terminal events): no data access.
    this.workflow.stateMachine.grantStartExecution(events);

    grantBucket(workflowTask, BUCKET_ACCESS.workflowTask);
    tables.events.grantReadWriteData(workflowTask);
    tables.reference.grantReadWriteData(workflowTask);
    this.routing.bus.grantPutEventsTo(workflowTask);

    grantBucket(taskRole, BUCKET_ACCESS.task);
    tables.events.grantReadWriteData(taskRole);
    tables.reference.grantReadData(taskRole);
    for (const table of [tables.facts, tables.orderKpis, tables.categoryKpis]) {
      table.grantReadWriteData(taskRole);
    }
    this.routing.bus.grantPutEventsTo(taskRole);
    // SendTask* are authorised against the state machine of the token's execution (AccessDenied
    // messages name its ARN), although IAM's reference lists no resource type: scoped to ours.
    this.workflow.stateMachine.grantTaskResponse(taskRole);
  }
}
