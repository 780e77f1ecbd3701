// The whole AWS deployment: storage, landing, the Lambdas, the event bus, the Fargate tasks, the
// state machine, the alarms, and least-privilege grants that tie them together.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { PipelineAlarms } from './alarms.js';
import { PipelineFunctions } from './functions.js';
import { keys, METRICS_NAMESPACE, PREFIX, SERVICE_NAME } from './layout.js';
import { suppressFindings } from './nag-suppressions.js';
import { EventRouting } from './routing.js';
import { Storage } from './storage.js';
import { PipelineTasks } from './tasks.js';
import { Workflow } from './workflow.js';

export interface PipelineStackProps extends StackProps {
  /** DynamoDB deletion protection (context `deletionProtection`, default true) */
  readonly deletionProtection?: boolean;
  /** ASL text instead of infra/state-machine/pipeline.asl.json (tests) */
  readonly definition?: string;
}

export class PipelineStack extends Stack {
  readonly storage: Storage;
  readonly functions: PipelineFunctions;
  readonly routing: EventRouting;
  readonly tasks: PipelineTasks;
  readonly workflow: Workflow;
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
      ...(props.definition === undefined ? {} : { definition: props.definition }),
    });

    const { ingest, events } = this.functions;
    ingest.addEventSource(
      new SqsEventSource(this.storage.landingQueue, {
        batchSize: 10,
        reportBatchItemFailures: true,
      }),
    );
    this.routing.routeGroupCompletedTo(events);
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
    out('TaskLogGroup', this.tasks.logGroup.logGroupName, 'validate/transform task logs');
  }

  /** who may touch which prefix, table and bus (docs/deploy.md has the same table) */
  private grantData(): void {
    const { bucket, tables } = this.storage;
    const { ingest, events, workflowTask } = this.functions;
    const taskRole = this.tasks.taskDefinition.taskRole;
    const read = (who: iam.IGrantable, ...prefixes: string[]) =>
      prefixes.forEach((p) => bucket.grantRead(who, keys(p)));
    const put = (who: iam.IGrantable, ...prefixes: string[]) =>
      prefixes.forEach((p) => bucket.grantPut(who, keys(p)));

    read(ingest, PREFIX.incoming, PREFIX.staging, PREFIX.groups);
    put(ingest, PREFIX.staging, PREFIX.reports, PREFIX.quarantine, PREFIX.groups);
    tables.events.grantReadWriteData(ingest);
    tables.reference.grantReadWriteData(ingest);
    this.routing.bus.grantPutEventsTo(ingest);

    this.workflow.stateMachine.grantStartExecution(events);
    tables.events.grantReadData(events);

    read(workflowTask, PREFIX.incoming, PREFIX.groups);
    put(workflowTask, PREFIX.archive);
    bucket.grantDelete(workflowTask, keys(PREFIX.incoming));
    tables.events.grantReadWriteData(workflowTask);
    tables.reference.grantReadWriteData(workflowTask);
    this.routing.bus.grantPutEventsTo(workflowTask);

    read(taskRole, PREFIX.staging, PREFIX.groups, PREFIX.delta);
    put(taskRole, PREFIX.reports, PREFIX.quarantine, PREFIX.delta);
    bucket.grantDelete(taskRole, keys(PREFIX.delta));
    tables.events.grantReadWriteData(taskRole);
    tables.reference.grantReadData(taskRole);
    for (const table of [tables.facts, tables.orderKpis, tables.categoryKpis]) {
      table.grantReadWriteData(taskRole);
    }
    this.routing.bus.grantPutEventsTo(taskRole);
    this.workflow.stateMachine.grantTaskResponse(taskRole);
  }
}
