// The ASL file against the stack: valid Amazon States Language once CDK's substitutions are
// filled in, and every Task bound to a resource the stack creates (no ARN left to chance).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ASL_PATH, CONTAINER_NAME, REPO_ROOT } from '../lib/layout.js';
import { statementsOfRole } from './iam.js';
import { logicalIdOf, synthPipeline, type Synthesised } from './synth.js';

interface AslValidation {
  readonly isValid: boolean;
  errorsText(separator?: string): string;
}
type AslValidator = (
  definition: unknown,
  options: { checkArn: boolean; checkPaths: boolean },
) => AslValidation;
// asl-validator 4 is CommonJS without type declarations.
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

interface TaskState {
  readonly Type: 'Task';
  readonly Resource: string;
  readonly Parameters: Record<string, unknown>;
}

const aslText = readFileSync(join(REPO_ROOT, ASL_PATH), 'utf8');
const asl = JSON.parse(aslText) as { States: Record<string, { Type: string }> };
const taskStates = Object.entries(asl.States).filter(
  (entry): entry is [string, TaskState] => entry[1].Type === 'Task',
);
const placeholders = [...new Set([...aslText.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!))].sort();

// Shape-correct stand-ins for what CloudFormation fills in at deploy time.
const ACCOUNT = '123456789012';
const DUMMY: Record<string, string> = {
  Partition: 'aws',
  ClusterArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/shop-pipeline`,
  TaskDefinitionArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/shop-pipeline:1`,
  ContainerName: CONTAINER_NAME,
  SubnetA: 'subnet-0123456789abcdef0',
  SubnetB: 'subnet-0123456789abcdef1',
  SecurityGroupId: 'sg-0123456789abcdef0',
  AssignPublicIp: 'ENABLED',
  WorkflowTaskFunctionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:shop-pipeline-workflow-task`,
};

let synth: Synthesised;
let substitutions: Record<string, unknown>;
beforeAll(() => {
  synth = synthPipeline({ bundle: false, nag: false });
  const machines = synth.template.findResources('AWS::StepFunctions::StateMachine');
  const machine = Object.values(machines)[0] as { Properties: Record<string, unknown> };
  substitutions = machine.Properties.DefinitionSubstitutions as Record<string, unknown>;
}, 600_000);

const resourceOf = (logicalId: string) =>
  (
    synth.template.toJSON().Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >
  )[logicalId];

describe('pipeline.asl.json', () => {
  it('has Task states and only known placeholders', () => {
    expect(taskStates.length).toBeGreaterThanOrEqual(4);
    expect(placeholders).toEqual(Object.keys(DUMMY).sort());
  });

  it('is valid ASL (asl-validator, ARNs and paths checked) once substituted', () => {
    const filled = aslText.replace(/\$\{(\w+)\}/g, (_, name: string) => DUMMY[name] ?? '');
    const result = aslValidator(JSON.parse(filled), { checkArn: true, checkPaths: true });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('is refused by the validator when a Task points nowhere (the check has teeth)', () => {
    const broken = JSON.parse(aslText.replace(/\$\{(\w+)\}/g, 'x')) as typeof asl;
    const [name] = taskStates[0]!;
    (broken.States[name] as unknown as { Next: string }).Next = 'NoSuchState';
    expect(aslValidator(broken, { checkArn: true, checkPaths: true }).isValid).toBe(false);
  });

  it('is the definition CDK deploys, with every placeholder substituted', () => {
    synth.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionString: aslText,
    });
    expect(Object.keys(substitutions).sort()).toEqual(placeholders);
  });
});

describe('every Task state is bound by the stack', () => {
  const ecsTasks = taskStates.filter(([, s]) =>
    s.Resource.startsWith('arn:${Partition}:states:::ecs:runTask'),
  );
  const lambdaTasks = taskStates.filter(
    ([, s]) => s.Resource === 'arn:${Partition}:states:::lambda:invoke',
  );

  it('uses only ECS and Lambda integrations', () => {
    expect(ecsTasks.length + lambdaTasks.length).toBe(taskStates.length);
  });

  it.each(ecsTasks)(
    '%s runs the stack task definition on its cluster, with a real command',
    (_, state) => {
      expect(state.Parameters.TaskDefinition).toBe('${TaskDefinitionArn}');
      expect(state.Parameters.Cluster).toBe('${ClusterArn}');
      const { tasks } = synth.stack;
      expect(substitutions.TaskDefinitionArn).toEqual({ Ref: logicalIdOf(tasks.taskDefinition) });
      expect(resourceOf(logicalIdOf(tasks.taskDefinition))?.Type).toBe('AWS::ECS::TaskDefinition');
      expect(substitutions.ClusterArn).toEqual({
        'Fn::GetAtt': [logicalIdOf(tasks.cluster), 'Arn'],
      });
      expect(resourceOf(logicalIdOf(tasks.cluster))?.Type).toBe('AWS::ECS::Cluster');

      const overrides = (
        state.Parameters.Overrides as {
          ContainerOverrides: { Name: string; Command: string[] }[];
        }
      ).ContainerOverrides;
      expect(overrides).toHaveLength(1);
      const [override] = overrides;
      expect(override?.Name).toBe('${ContainerName}');
      expect(substitutions.ContainerName).toBe(CONTAINER_NAME);
      const containers = resourceOf(logicalIdOf(tasks.taskDefinition))?.Properties
        .ContainerDefinitions as { Name: string }[];
      expect(containers.map((c) => c.Name)).toEqual([CONTAINER_NAME]);
      // the image's dispatcher knows the command, and the Docker build bundles its main
      const command = override?.Command[0] ?? '';
      expect(['validate', 'transform']).toContain(command);
      expect(existsSync(join(REPO_ROOT, 'src', 'entrypoints', 'ecs', `${command}.main.ts`))).toBe(
        true,
      );
      expect(readFileSync(join(REPO_ROOT, 'infra', 'docker', 'build.mjs'), 'utf8')).toContain(
        `src/entrypoints/ecs/${command}.main.ts`,
      );
    },
  );

  it.each(lambdaTasks)('%s invokes the workflow-task Lambda of the stack', (_, state) => {
    expect(state.Parameters.FunctionName).toBe('${WorkflowTaskFunctionArn}');
    const fn = logicalIdOf(synth.stack.functions.workflowTask);
    expect(substitutions.WorkflowTaskFunctionArn).toEqual({ 'Fn::GetAtt': [fn, 'Arn'] });
    expect(resourceOf(fn)?.Type).toBe('AWS::Lambda::Function');
    expect(resourceOf(fn)?.Properties.Description).toBe('shop-pipeline workflow-task');
  });

  it('networks the tasks into the stack VPC and security group', () => {
    const { tasks } = synth.stack;
    const subnets = tasks.vpc.publicSubnets.map((s) => ({ Ref: logicalIdOf(s) }));
    expect([substitutions.SubnetA, substitutions.SubnetB]).toEqual(subnets);
    expect(substitutions.SecurityGroupId).toEqual({
      'Fn::GetAtt': [logicalIdOf(tasks.securityGroup), 'GroupId'],
    });
  });

  it('lets the state machine role call each bound resource', () => {
    const statements = statementsOfRole(
      synth.template,
      logicalIdOf(synth.stack.workflow.stateMachine.role),
    );
    const allowed = (action: string) =>
      statements.filter((s) => s.actions.includes(action)).flatMap((s) => s.resources);
    if (ecsTasks.length > 0) {
      expect(allowed('ecs:RunTask')).toEqual([JSON.stringify(substitutions.TaskDefinitionArn)]);
    }
    if (lambdaTasks.length > 0) {
      expect(allowed('lambda:InvokeFunction')).toEqual([
        JSON.stringify(substitutions.WorkflowTaskFunctionArn),
      ]);
    }
  });
});
