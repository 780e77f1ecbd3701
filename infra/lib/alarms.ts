// Alarms on what needs a human: messages nobody could process, workflows that failed, and data
// the pipeline refused. They have no actions: subscribe a topic or a chatbot to them per account.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from './layout.js';

export interface AlarmsProps {
  readonly deadLetterQueues: Record<string, sqs.IQueue>;
  readonly stateMachine: sfn.IStateMachine;
}

const PERIOD = Duration.minutes(5);

/** a metric emitted by the code through Powertools Metrics (EMF, default dimension `service`) */
export const pipelineMetric = (metricName: string): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic: cloudwatch.Stats.SUM,
    period: PERIOD,
  });

export class PipelineAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(
        `${name}DlqNotEmpty`,
        `${name}: messages in the dead-letter queue`,
        queue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
      );
    }
    this.add(
      'ExecutionsFailed',
      'group workflows that failed, timed out or were aborted',
      new cloudwatch.MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: props.stateMachine.metricFailed({ period: PERIOD }),
          timedOut: props.stateMachine.metricTimedOut({ period: PERIOD }),
          aborted: props.stateMachine.metricAborted({ period: PERIOD }),
        },
        period: PERIOD,
      }),
    );
    this.add(
      'GroupsRejected',
      'groups that failed validation',
      pipelineMetric(METRIC.groupsRejected),
    );
    this.add(
      'FilesRejected',
      'landed files that were rejected',
      pipelineMetric(METRIC.filesRejected),
    );
  }

  private add(id: string, description: string, metric: cloudwatch.IMetric): void {
    this.alarms.push(
      new cloudwatch.Alarm(this, id, {
        alarmDescription: `shop-pipeline: ${description}`,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
