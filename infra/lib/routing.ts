// The event bus and the rules that route pipeline events: GroupCompleted starts a workflow
// through the events Lambda, which also logs and counts terminal events; every pipeline event is
// also kept in an audit log group. The rules deliver to an SQS queue the Lambda polls, not to the
// Lambda itself: an asynchronous invoke whose StartExecution fails is retried twice and dropped,
// while a queue message stays until the Lambda succeeds, then lands in the dead-letter queue.
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE, EVENTS_TIMEOUT_SECONDS } from './layout.js';

/** the events that end a group's workflow (the events Lambda counts them) */
export const TERMINAL_EVENTS = ['Archived', 'TransformFailed'] as const;

export class EventRouting extends Construct {
  readonly bus: events.EventBus;
  /** events EventBridge could not put on the queue, and messages the Lambda kept failing on */
  readonly deliveryDlq: sqs.Queue;
  /** what the events Lambda polls */
  readonly eventsQueue: sqs.Queue;
  readonly auditLog: logs.LogGroup;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { description: 'shop-pipeline events' });
    this.deliveryDlq = new sqs.Queue(this, 'DeliveryDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.eventsQueue = new sqs.Queue(this, 'EventsQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // six times the events Lambda's timeout (AWS guidance for SQS event sources)
      visibilityTimeout: Duration.seconds(6 * EVENTS_TIMEOUT_SECONDS),
      retentionPeriod: Duration.days(4),
      // StartExecution throttled or Step Functions down: five tries, one visibility timeout apart
      deadLetterQueue: { queue: this.deliveryDlq, maxReceiveCount: 5 },
    });
    this.auditLog = new logs.LogGroup(this, 'AuditLog', {
      retention: logs.RetentionDays.THREE_MONTHS,
    });
    new events.Rule(this, 'AllPipelineEvents', {
      eventBus: this.bus,
      description: 'every pipeline event, kept for audit',
      eventPattern: { source: [EVENT_SOURCE] },
      targets: [new targets.CloudWatchLogGroup(this.auditLog, { installLatestAwsSdk: false })],
    });
  }

  /** GroupCompleted starts a workflow; terminal events are logged and counted by the function */
  routeToEventsFunction(fn: lambda.IFunction): void {
    const target = new targets.SqsQueue(this.eventsQueue, {
      deadLetterQueue: this.deliveryDlq,
      retryAttempts: 8,
      maxEventAge: Duration.hours(6),
    });
    // one message fails on its own (reportBatchItemFailures); ten GroupCompleted a batch are
    // ten StartExecution calls, well within the function's timeout
    fn.addEventSource(
      new SqsEventSource(this.eventsQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    new events.Rule(this, 'GroupCompleted', {
      eventBus: this.bus,
      description: 'a completed group starts its workflow',
      eventPattern: { source: [EVENT_SOURCE], detailType: ['GroupCompleted'] },
      targets: [target],
    });
    new events.Rule(this, 'GroupFinished', {
      eventBus: this.bus,
      description: 'terminal group events, logged and counted',
      eventPattern: { source: [EVENT_SOURCE], detailType: [...TERMINAL_EVENTS] },
      targets: [target],
    });
  }
}
