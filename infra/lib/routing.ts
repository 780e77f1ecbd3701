// The event bus and the rules that route pipeline events: GroupCompleted starts a workflow
// through the events Lambda, which also logs and counts terminal events; every pipeline event is
// also kept in an audit log group.
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from './layout.js';

/** the events that end a group's workflow (the events Lambda counts them) */
export const TERMINAL_EVENTS = ['Archived', 'TransformFailed'] as const;

export class EventRouting extends Construct {
  readonly bus: events.EventBus;
  /** events EventBridge could not deliver to the events Lambda after its retries */
  readonly deliveryDlq: sqs.Queue;
  readonly auditLog: logs.LogGroup;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { description: 'shop-pipeline events' });
    this.deliveryDlq = new sqs.Queue(this, 'DeliveryDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
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
    const target = new targets.LambdaFunction(fn, {
      deadLetterQueue: this.deliveryDlq,
      retryAttempts: 8,
      maxEventAge: Duration.hours(6),
    });
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
