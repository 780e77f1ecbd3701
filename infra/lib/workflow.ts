// The state machine from infra/state-machine/pipeline.asl.json. The file holds no ARNs: every
// ${Name} in it is a definition substitution bound here, and the role is written by hand because
// CDK cannot infer permissions from a JSON definition.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ASL_PATH, CONTAINER_NAME, REPO_ROOT } from './layout.js';
import { grantRunTask } from './run-task-grants.js';
import type { PipelineTasks } from './tasks.js';

export interface WorkflowProps {
  readonly tasks: PipelineTasks;
  readonly workflowTask: lambda.IFunction;
}

export class Workflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly substitutions: Record<string, string>;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const { tasks, workflowTask } = props;
    const [subnetA, subnetB] = tasks.subnetIds();
    this.substitutions = {
      // the ASL names its service integrations arn:${Partition}:states:::..., for aws-cn/aws-us-gov
      Partition: Aws.PARTITION,
      ClusterArn: tasks.cluster.clusterArn,
      TaskDefinitionArn: tasks.taskDefinition.taskDefinitionArn,
      ContainerName: CONTAINER_NAME,
      SubnetA: subnetA,
      SubnetB: subnetB,
      SecurityGroupId: tasks.securityGroup.securityGroupId,
      AssignPublicIp: 'ENABLED', // public subnets without NAT: the task needs a public IP
      WorkflowTaskFunctionArn: workflowTask.functionArn,
    };
    const definition = readFileSync(join(REPO_ROOT, ASL_PATH), 'utf8');
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: this.substitutions,
      // no `timeout` here: CDK ignores it for DefinitionBody.fromString, so the ASL file holds
      // TimeoutSeconds itself (infra/test/asl-lint.test.ts checks it)
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: true,
      },
    });
    this.grantTaskAndFunction(props);
  }

  private grantTaskAndFunction({ tasks, workflowTask }: WorkflowProps): void {
    const role = this.stateMachine.role;
    grantRunTask(role, tasks.taskDefinition, tasks.cluster);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeOnlyTheWorkflowTaskFunction',
        actions: ['lambda:InvokeFunction'],
        resources: [workflowTask.functionArn],
      }),
    );
  }
}
