// cdk-nag findings we accept. Each carries its reason and is as narrow as the rule allows:
// IAM5 wildcards are listed one by one (appliesTo) with the exact prefix or index they cover.
import { Stack, type CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { NagSuppressions, type NagPackSuppression } from 'cdk-nag';
import { PREFIX } from './layout.js';
import type { PipelineStack } from './pipeline-stack.js';

const BASIC_EXECUTION =
  'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

const S3_GRANT_ACTIONS = [
  's3:GetObject*',
  's3:GetBucket*',
  's3:List*',
  's3:Abort*',
  's3:DeleteObject*',
];

/** `<LogicalId.Arn>` as cdk-nag prints an attribute reference */
const arnRef = (construct: IConstruct): string => {
  const stack = Stack.of(construct);
  const cfn = construct.node.defaultChild as CfnResource;
  return `<${String(stack.resolve(stack.getLogicalId(cfn)))}.Arn>`;
};

export const suppressFindings = (stack: PipelineStack): void => {
  const { storage, functions, tasks, workflow } = stack;
  const bucketArn = arnRef(storage.bucket);
  const prefixWildcards = Object.values(PREFIX).map((p) => `Resource::${bucketArn}/${p}*`);
  const indexWildcards = [storage.tables.facts, storage.tables.categoryKpis].map(
    (t) => `Resource::${arnRef(t)}/index/*`,
  );
  const grantSuppression: NagPackSuppression = {
    id: 'AwsSolutions-IAM5',
    reason:
      'CDK grant action groups (s3:GetObject* = GetObject, GetObjectVersion, GetObjectTagging...) on ' +
      'object keys under the one bucket prefix each role needs (incoming/, staging/, ...), and ' +
      'the GSIs of the tables it reads; nothing outside those prefixes and tables.',
    appliesTo: [
      ...S3_GRANT_ACTIONS.map((a) => `Action::${a}`),
      ...prefixWildcards,
      ...indexWildcards,
    ],
  };
  for (const grantee of [functions.ingest, functions.events, functions.workflowTask]) {
    NagSuppressions.addResourceSuppressions(grantee.role!, [grantSuppression], true);
  }
  NagSuppressions.addResourceSuppressions(tasks.taskDefinition.taskRole, [grantSuppression], true);

  NagSuppressions.addResourceSuppressions(
    [functions.ingest, functions.events, functions.workflowTask],
    [
      {
        id: 'AwsSolutions-L1',
        reason:
          'Pinned to Node.js 22 (the version the code is built and tested for, supported by ' +
          'Lambda until 2027); moving to a newer runtime is a deliberate, tested change.',
      },
    ],
  );
  NagSuppressions.addResourceSuppressions(tasks.taskDefinition, [
    {
      id: 'AwsSolutions-ECS2',
      reason:
        'The environment holds resource names only (bucket, tables, bus), no secrets; they change ' +
        'only with a deployment of this stack.',
    },
  ]);
  NagSuppressions.addResourceSuppressions(
    tasks.taskDefinition.obtainExecutionRole(),
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'ecr:GetAuthorizationToken has no resource-level permissions (it must be "*"); the image ' +
          'pull actions are scoped to the CDK asset repository.',
        appliesTo: ['Resource::*'],
      },
    ],
    true,
  );
  NagSuppressions.addResourceSuppressions(
    workflow.stateMachine.role,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Resource "*": CloudWatch Logs delivery (logs:CreateLogDelivery, ...) and X-Ray ' +
          '(xray:PutTraceSegments, ...) have no resource-level permissions. Task ARNs of the ' +
          'pipeline cluster are only known at run time, so DescribeTasks/StopTask take ' +
          'task/<cluster>/*.',
        appliesTo: [
          'Resource::*',
          `Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/<${String(
            stack.resolve(stack.getLogicalId(tasks.cluster.node.defaultChild as CfnResource)),
          )}>/*`,
        ],
      },
    ],
    true,
  );
  NagSuppressions.addResourceSuppressions(stack.routing.deliveryDlq, [
    {
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue (of the EventBridge target), which cdk-nag ' +
        'only recognises for SQS redrive policies.',
    },
  ]);
  suppressCdkInternals(stack);
};

/** singleton Lambdas CDK adds for the bucket notification and the log-group resource policy */
const suppressCdkInternals = (stack: Stack): void => {
  const handlers = stack.node
    .findAll()
    .filter((c) =>
      /^(BucketNotificationsHandler|AWS679f53fac002430cb0da5b7982bd2287)/.test(c.node.id),
    )
    .filter((c) => c.node.scope === stack);
  const policies = stack.node
    .findAll()
    .filter((c) => c.node.id.startsWith('EventsLogGroupPolicy') && c.node.scope === stack);
  NagSuppressions.addResourceSuppressions(
    handlers,
    [
      {
        id: 'AwsSolutions-IAM4',
        reason:
          'CDK-managed provider Lambda (S3 notification setup / log-group resource policy), run ' +
          'only during deployment; its basic execution policy grants log writing only.',
        appliesTo: [BASIC_EXECUTION],
      },
    ],
    true,
  );
  NagSuppressions.addResourceSuppressions(
    policies,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'logs:PutResourcePolicy / DeleteResourcePolicy have no resource-level permissions; the ' +
          'custom resource only sets the policy that lets EventBridge write to the audit log group.',
        appliesTo: ['Resource::*'],
      },
    ],
    true,
  );
};
