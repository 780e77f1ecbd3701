// The route for big files: the ingest function starts an execution of the ingest state machine
// (its definition from the synthesised template), whose one Task state runs the ECS ingest task.
// The task's logic runs from source with the ingest task definition's environment, as the
// principal `ingestTask` on its own recording proxy; `.sync` fails the state on a non-zero exit.
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { substitute } from '../../../src/adapters/local-sfn/local-sfn-workflow-starter.js';
import { runIngestTask } from '../../../src/entrypoints/ecs/ingest-task.js';
import type { AwsApp } from '../../../src/entrypoints/composition/aws.container.js';
import { logicalIdOf, type Synthesised } from '../../../infra/test/synth.js';
import { namedError } from './task-tokens.js';

// the definition's ${...} substitutions: nothing here calls ECS itself
const SUBSTITUTIONS = {
  Partition: 'aws',
  ClusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/local',
  TaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/ingest:1',
  ContainerName: 'pipeline',
  SubnetA: 'subnet-a',
  SubnetB: 'subnet-b',
  SecurityGroupId: 'sg-local',
};

type EnvEntry = { Name?: unknown; Value?: unknown };

export interface IngestExecution {
  readonly name: string;
  readonly fileKey: string;
  outcome?: 'succeeded' | 'failed';
}

export const ingestRoute = (synth: Synthesised, app: () => AwsApp) => {
  const id = logicalIdOf(synth.stack.ingestRoute.stateMachine);
  const resource = synth.template.findResources('AWS::StepFunctions::StateMachine')[id];
  const definition = String(
    (resource?.Properties as { DefinitionString: unknown }).DefinitionString,
  );
  const machine = new StateMachine(
    JSON.parse(substitute(definition, SUBSTITUTIONS)) as StateMachineDefinition,
    { validationOptions: { checkArn: true, checkPaths: true } },
  );
  const executions: IngestExecution[] = [];
  const start = (name: string, input: { fileKey: string }): Promise<void> => {
    const execution: IngestExecution = { name, fileKey: input.fileKey };
    executions.push(execution);
    const run = machine.run(input, {
      overrides: {
        taskResourceLocalHandlers: {
          LandFile: async (params) => {
            const overrides = (
              params as { Overrides?: { ContainerOverrides?: { Environment?: EnvEntry[] }[] } }
            ).Overrides;
            const env = overrides?.ContainerOverrides?.[0]?.Environment ?? [];
            const fileKey = env.find((e) => e.Name === 'FILE_KEY')?.Value;
            if ((await runIngestTask({ FILE_KEY: String(fileKey) }, app)) !== 0) {
              throw namedError('States.TaskFailed', 'Essential container exited (1)');
            }
            return {};
          },
        },
        retryIntervalOverrides: { LandFile: [1, 2, 4] },
      },
    });
    return run.result.then(
      () => void (execution.outcome = 'succeeded'),
      () => void (execution.outcome = 'failed'),
    );
  };
  return { id, start, executions };
};
