// cdk-nag findings we accept. Each carries its reason and is as narrow as the rule allows:
// IAM5 wildcards are listed one by one (appliesTo) with the exact prefix or index they cover.
import { Stack, type CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { NagSuppressions, type NagPackSuppression } from 'cdk-nag';
import { BUCKET_ACCESS, keys, type BucketAccess } from './layout.js';
import type { PipelineStack } from './pipeline-stack.js';

const BASIC_EXECUTION =
  'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/** `<LogicalId.Arn>` as cdk-nag prints an attribute reference */
const arnRef = (construct: IConstruct): string => {
  const stack = Stack.of(construct);
  const cfn = construct.node.defaultChild as CfnResource;
  return `<${String(stack.resolve(stack.getLogicalId(cfn)))}.Arn>`;
};

/** the IAM5 findings CDK's bucket and table grants raise for one role, listed one by one */
const grantSuppression = (
  bucketArn: string,
  access: BucketAccess,
  indexedTables: readonly IConstruct[],
): NagPackSuppression => {
  const prefixes = [...new Set([...access.read, ...access.put, ...access.delete])];
  const actions = [
    ...(access.read.length > 0 ? ['s3:GetObject*', 's3:GetBucket*', 's3:List*'] : []),
    ...(access.put.length > 0 ? ['s3:Abort*'] : []),
    ...(access.delete.length > 0 ? ['s3:DeleteObject*'] : []),
  ];
  const patterns = prefixes.map(keys);
  return {
    id: 'AwsSolutions-IAM5',
    reason:
      'CDK grant action groups: s3:GetObject* (GetObject, GetObjectVersion, GetObjectTagging...), ' +
      's3:Abort* and s3:DeleteObject* only on the object keys this role needs ' +
      `(${patterns.join(', ')}). s3:GetBucket* and s3:List* come with grantRead on the bucket ` +
      'itself: the role can list every key name of the bucket and read its configuration ' +
      '(location, versioning, policy status), but read object contents only under those keys. ' +
      'Plus the indexes of the tables it queries.',
    appliesTo: [
      ...actions.map((a) => `Action::${a}`),
      ...patterns.map((p) => `Resource::${bucketArn}/${p}`),
      ...indexedTables.map((t) => `Resource::${arnRef(t)}/index/*`),
    ],
  };
};

export const suppressFindings = (stack: PipelineStack): void => {
  const { storage, functions, tasks, workflow, ingestRoute } = stack;
  const bucketArn = arnRef(storage.bucket);
  const suppress = (role: IConstruct, suppression: NagPackSuppression) =>
    NagSuppressions.addResourceSuppressions(role, [suppression], true);
  suppress(functions.ingest.role!, grantSuppression(bucketArn, BUCKET_ACCESS.ingest, []));
  suppress(
    functions.workflowTask.role!,
    grantSuppression(bucketArn, BUCKET_ACCESS.workflowTask, []),
  );
  suppress(
    tasks.taskDefinition.taskRole,
    grantSuppression(bucketArn, BUCKET_ACCESS.task, [
      storage.tables.facts,
      storage.tables.categoryKpis,
    ]),
  );

  NagSuppressions.addResourceSuppressions(
    [functions.ingest, functions.events, functions.workflowTask],
    [
      {
        id: 'AwsSolutions-L1',
        reason:
          'Pinned to Node.js 22 (the version the code is built and tested for; LTS until April ' +
          '2027); moving to a newer runtime is a deliberate, tested change.',
      },
    ],
  );
  suppress(
    tasks.ingestTaskDefinition.taskRole,
    grantSuppression(bucketArn, BUCKET_ACCESS.ingest, []),
  );
  NagSuppressions.addResourceSuppressions(
    [tasks.taskDefinition, tasks.ingestTaskDefinition],
    [
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'The environment holds resource names only (bucket, tables, bus), no secrets; they change ' +
          'only with a deployment of this stack.',
      },
    ],
  );
  NagSuppressions.addResourceSuppressions(
    [tasks.taskDefinition.obtainExecutionRole(), tasks.ingestTaskDefinition.obtainExecutionRole()],
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
    [workflow.stateMachine.role, ingestRoute.stateMachine.role],
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
