// What a state machine needs to run one ECS task definition with RunTask .sync or
// .waitForTaskToken, and nothing more: RunTask of that definition on the pipeline cluster,
// DescribeTasks/StopTask of that cluster's tasks, PassRole of that definition's two roles to
// ECS, and the managed EventBridge rule through which .sync learns that a task stopped.
import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';

export const grantRunTask = (
  role: iam.IRole,
  taskDefinition: ecs.TaskDefinition,
  cluster: ecs.ICluster,
): void => {
  const stack = Stack.of(role);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'RunOnlyThePipelineTask',
      actions: ['ecs:RunTask'],
      resources: [taskDefinition.taskDefinitionArn],
      conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
    }),
  );
  // .sync and .waitForTaskToken watch and stop the tasks they started: tasks of this cluster.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'WatchTasksOfThePipelineCluster',
      actions: ['ecs:DescribeTasks', 'ecs:StopTask'],
      resources: [
        stack.formatArn({
          service: 'ecs',
          resource: 'task',
          resourceName: `${cluster.clusterName}/*`,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
    }),
  );
  const passRoles = [taskDefinition.taskRole, taskDefinition.obtainExecutionRole()];
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'PassOnlyTheTaskRoles',
      actions: ['iam:PassRole'],
      resources: passRoles.map((r) => r.roleArn),
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    }),
  );
  // runTask.sync learns that a task stopped through this managed EventBridge rule.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ManagedRuleForEcsSync',
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resources: [
        Arn.format(
          {
            service: 'events',
            resource: 'rule',
            resourceName: 'StepFunctionsGetEventsForECSTaskRule',
          },
          stack,
        ),
      ],
    }),
  );
};
