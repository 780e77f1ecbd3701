// The route for files too big for the ingest Lambda, read from the synthesised template: the
// ingest Lambda may start the ingest state machine and nothing else new; that machine runs the
// ingest task definition (command `ingest`, FILE_KEY from the execution input) with RunTask
// .sync, retries, timeouts, and a role as narrow as the group workflow's.
import { beforeAll, describe, expect, it } from 'vitest';
import { INGEST_TASK_MIN_BYTES } from '../lib/layout.js';
import { INGEST_TASK_CPU, INGEST_TASK_HEAP_MIB, INGEST_TASK_MEMORY_MIB } from '../lib/tasks.js';
import { statementsOfRole } from './iam.js';
import { logicalIdOf, synthPipeline, type Synthesised } from './synth.js';

interface Retrier {
  readonly ErrorEquals: string[];
  readonly MaxAttempts: number;
}
interface LandState {
  readonly Type: string;
  readonly Resource: string;
  readonly TimeoutSeconds: number;
  readonly Parameters: {
    readonly Cluster: string;
    readonly TaskDefinition: string;
    readonly LaunchType: string;
    readonly Overrides: {
      readonly ContainerOverrides: {
        Name: string;
        Command: string[];
        Environment: Record<string, string>[];
      }[];
    };
  };
  readonly Retry: Retrier[];
}

let synth: Synthesised;
let definition: { TimeoutSeconds: number; StartAt: string; States: Record<string, LandState> };
let substitutions: Record<string, unknown>;
beforeAll(() => {
  synth = synthPipeline({ bundle: false, nag: false });
  const machine = synth.template.toJSON().Resources[
    logicalIdOf(synth.stack.ingestRoute.stateMachine)
  ] as {
    Properties: { DefinitionString: string; DefinitionSubstitutions: Record<string, unknown> };
  };
  definition = JSON.parse(machine.Properties.DefinitionString) as typeof definition;
  substitutions = machine.Properties.DefinitionSubstitutions;
}, 600_000);

const ref = (construct: Parameters<typeof logicalIdOf>[0]) => ({ Ref: logicalIdOf(construct) });
const arnOf = (construct: Parameters<typeof logicalIdOf>[0]) => ({
  'Fn::GetAtt': [logicalIdOf(construct), 'Arn'],
});
const placeholder = (text: string): string => /^\$\{(\w+)\}$/.exec(text)?.[1] ?? text;

describe('the ingest route for big files', () => {
  it('runs the ingest task definition with command `ingest` and FILE_KEY from the input, .sync', () => {
    const { tasks } = synth.stack;
    const land = definition.States[definition.StartAt];
    expect(land?.Type).toBe('Task');
    expect(land?.Resource).toBe('arn:${Partition}:states:::ecs:runTask.sync');
    const p = land!.Parameters;
    expect(p.LaunchType).toBe('FARGATE');
    expect(substitutions[placeholder(p.TaskDefinition)]).toEqual(ref(tasks.ingestTaskDefinition));
    expect(substitutions[placeholder(p.Cluster)]).toEqual(arnOf(tasks.cluster));
    const [override] = p.Overrides.ContainerOverrides;
    expect(substitutions[placeholder(override!.Name)]).toBe(tasks.ingestContainer.containerName);
    expect(override!.Command).toEqual(['ingest']);
    expect(override!.Environment).toEqual([{ Name: 'FILE_KEY', 'Value.$': '$.fileKey' }]);
  });

  it('retries RunTask errors and a failed task, inside a task and an execution timeout', () => {
    const land = definition.States[definition.StartAt]!;
    const retried = land.Retry.flatMap((r) => r.ErrorEquals);
    expect(retried).toEqual(
      expect.arrayContaining([
        'ECS.AmazonECSException',
        'ECS.ServerException',
        'ECS.InvalidParameterException',
        'AmazonECS.Unknown',
        'States.TaskFailed',
        'States.Timeout',
      ]),
    );
    expect(land.TimeoutSeconds).toBeGreaterThan(0);
    // every run of the task fits in the execution (RunTask errors happen before a task runs)
    const rerun = land.Retry.find((r) => r.ErrorEquals.includes('States.TaskFailed'));
    const tries = 1 + (rerun?.MaxAttempts ?? 0);
    expect(land.TimeoutSeconds * tries).toBeLessThanOrEqual(definition.TimeoutSeconds);
  });

  it('sizes the ingest task (2 vCPU, 4 GB, a heap of three quarters) and runs `ingest` by default', () => {
    const td = synth.template.toJSON().Resources[
      logicalIdOf(synth.stack.tasks.ingestTaskDefinition)
    ] as {
      Properties: {
        Cpu: string;
        Memory: string;
        ContainerDefinitions: {
          Command: string[];
          Environment: { Name: string; Value: unknown }[];
        }[];
      };
    };
    expect([td.Properties.Cpu, td.Properties.Memory]).toEqual([
      String(INGEST_TASK_CPU),
      String(INGEST_TASK_MEMORY_MIB),
    ]);
    const [container] = td.Properties.ContainerDefinitions;
    expect(container!.Command).toEqual(['ingest']);
    expect(container!.Environment).toContainEqual({
      Name: 'NODE_OPTIONS',
      Value: `--max-old-space-size=${INGEST_TASK_HEAP_MIB} --enable-source-maps`,
    });
  });

  it('gives the ingest Lambda the size limit and the machine, and lets it start only that one', () => {
    const { functions, ingestRoute, workflow } = synth.stack;
    const fn = synth.template.toJSON().Resources[logicalIdOf(functions.ingest)] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };
    expect(fn.Properties.Environment.Variables).toMatchObject({
      INGEST_TASK_MIN_BYTES: String(INGEST_TASK_MIN_BYTES),
      INGEST_STATE_MACHINE_ARN: ref(ingestRoute.stateMachine),
    });
    const starting = statementsOfRole(synth.template, logicalIdOf(functions.ingest.role!)).filter(
      (s) => s.actions.some((a) => a.startsWith('states:')),
    );
    expect(starting.flatMap((s) => s.actions)).toEqual(['states:StartExecution']);
    expect(starting.flatMap((s) => s.resources)).toEqual([
      JSON.stringify(ref(ingestRoute.stateMachine)),
    ]);
    expect(starting.flatMap((s) => s.resources)).not.toContain(
      JSON.stringify(ref(workflow.stateMachine)),
    );
  });

  it('lets the ingest machine run only the ingest task on the cluster and pass only its roles', () => {
    const { ingestRoute, tasks } = synth.stack;
    const statements = statementsOfRole(synth.template, logicalIdOf(ingestRoute.stateMachine.role));
    const on = (action: string) =>
      statements.filter((s) => s.actions.includes(action)).flatMap((s) => s.resources);
    expect(on('ecs:RunTask')).toEqual([JSON.stringify(ref(tasks.ingestTaskDefinition))]);
    expect(on('iam:PassRole').sort()).toEqual(
      [tasks.ingestTaskDefinition.taskRole, tasks.ingestTaskDefinition.obtainExecutionRole()]
        .map((r) => JSON.stringify(arnOf(r)))
        .sort(),
    );
    expect(on('ecs:StopTask')).not.toContain('"*"');
    // nothing of the group tasks, no data
    expect(statements.flatMap((s) => s.resources)).not.toContain(
      JSON.stringify(ref(tasks.taskDefinition)),
    );
    expect(statements.filter((s) => s.actions.some((a) => /^(s3|dynamodb):/.test(a)))).toEqual([]);
  });
});
