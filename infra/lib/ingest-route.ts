// The route for files too big for the ingest Lambda (docs/scaling.md): the Lambda starts an
// execution of this state machine, which runs the ECS ingest task with RunTask .sync. The task
// lands the file through the same composition root and LandFile use case. Step Functions, not a
// bare RunTask from the Lambda: the execution retries RunTask's capacity errors and a failed
// task (landing is idempotent), gives each big landing a visible status, times it out and
// raises an alarm when it fails; the execution name makes the start idempotent per upload.
import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { grantRunTask } from './run-task-grants.js';
import type { PipelineTasks } from './tasks.js';

/** the errors RunTask reports when ECS cannot start a task (as the group workflow's ASL lists) */
export const RUN_TASK_ERRORS = [
  'ECS.AmazonECSException',
  'ECS.ServerException',
  'ECS.InvalidParameterException',
  'AmazonECS.Unknown',
  'ECS.ThrottlingException',
  'ECS.LimitExceededException',
  'ECS.PlatformUnknownException',
];

/** one landing of the largest file docs/scaling.md plans for, with a wide margin */
export const INGEST_TASK_TIMEOUT = Duration.hours(1);
/** three tries of the task plus the backoffs between them */
export const INGEST_EXECUTION_TIMEOUT = Duration.hours(4);

/** One Task state, written out rather than built with EcsRunTask so that the role can be as
 *  narrow as the group workflow's (grantRunTask: this exact definition on this cluster), where
 *  EcsRunTask grants every revision of the family and DescribeTasks/StopTask on "*". */
export const INGEST_DEFINITION = {
  Comment: 'shop-pipeline: land one file too big for the ingest Lambda in the ECS ingest task',
  StartAt: 'LandFile',
  TimeoutSeconds: INGEST_EXECUTION_TIMEOUT.toSeconds(),
  States: {
    LandFile: {
      Type: 'Task',
      Comment: 'lands the file named by $.fileKey',
      Resource: 'arn:${Partition}:states:::ecs:runTask.sync',
      TimeoutSeconds: INGEST_TASK_TIMEOUT.toSeconds(),
      Parameters: {
        LaunchType: 'FARGATE',
        Cluster: '${ClusterArn}',
        TaskDefinition: '${TaskDefinitionArn}',
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            Subnets: ['${SubnetA}', '${SubnetB}'],
            SecurityGroups: ['${SecurityGroupId}'],
            // public subnets without NAT, as the group tasks: the task needs a public IP
            AssignPublicIp: 'ENABLED',
          },
        },
        Overrides: {
          ContainerOverrides: [
            {
              Name: '${ContainerName}',
              Command: ['ingest'],
              Environment: [{ Name: 'FILE_KEY', 'Value.$': '$.fileKey' }],
            },
          ],
        },
      },
      ResultPath: null,
      Retry: [
        {
          ErrorEquals: RUN_TASK_ERRORS,
          IntervalSeconds: 10,
          BackoffRate: 2,
          MaxAttempts: 4,
          JitterStrategy: 'FULL',
        },
        // the task exited non-zero (a throttled table, a lost connection) or ran out of time;
        // landing is idempotent, so running it again is safe
        {
          ErrorEquals: ['States.TaskFailed', 'States.Timeout'],
          IntervalSeconds: 60,
          BackoffRate: 2,
          MaxAttempts: 2,
          JitterStrategy: 'FULL',
        },
      ],
      End: true,
    },
  },
};

export class IngestRoute extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly substitutions: Record<string, string>;
  readonly failedAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: { readonly tasks: PipelineTasks }) {
    super(scope, id);
    const { cluster, ingestTaskDefinition, ingestContainer, securityGroup } = props.tasks;
    const [subnetA, subnetB] = props.tasks.subnetIds();
    this.substitutions = {
      Partition: Aws.PARTITION,
      ClusterArn: cluster.clusterArn,
      TaskDefinitionArn: ingestTaskDefinition.taskDefinitionArn,
      ContainerName: ingestContainer.containerName,
      SubnetA: subnetA,
      SubnetB: subnetB,
      SecurityGroupId: securityGroup.securityGroupId,
    };
    // a definition string with ${Name} substitutions, as the group workflow's: both read the
    // same way (tests and tools parse DefinitionString); TimeoutSeconds is in the definition
    // because CDK ignores `timeout` for DefinitionBody.fromString
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(INGEST_DEFINITION)),
      definitionSubstitutions: this.substitutions,
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: true,
      },
    });
    grantRunTask(this.stateMachine.role, ingestTaskDefinition, cluster);
    const period = Duration.minutes(5);
    this.failedAlarm = new cloudwatch.Alarm(this, 'ExecutionsFailed', {
      alarmDescription: 'shop-pipeline: big-file landings that failed, timed out or were aborted',
      metric: new cloudwatch.MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ period }),
          timedOut: this.stateMachine.metricTimedOut({ period }),
          aborted: this.stateMachine.metricAborted({ period }),
        },
        period,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
