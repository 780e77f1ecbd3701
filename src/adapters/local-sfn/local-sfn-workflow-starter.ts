// Runs the group workflow's ASL (the same file AWS runs) in process with aws-local-stepfunctions;
// every Task state is bound to a local handler that calls the TaskRunner, so nothing reaches AWS.
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Logger } from '../../ports/logger.port.js';
import type { TaskName, TaskResult, TaskRunner } from '../../ports/task-runner.port.js';
import {
  executionNameFor,
  type GroupTaskInput,
  type WorkflowStart,
  type WorkflowStarter,
} from '../../ports/workflow.port.js';
import { installPromiseWithResolvers } from './promise-with-resolvers.js';

installPromiseWithResolvers();

/** Values for the definition's ${...} substitutions: local runs never call these resources. */
export const LOCAL_SUBSTITUTIONS: Readonly<Record<string, string>> = {
  Partition: 'aws',
  ClusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/local',
  TaskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/local:1',
  ContainerName: 'pipeline',
  SubnetA: 'subnet-local-a',
  SubnetB: 'subnet-local-b',
  SecurityGroupId: 'sg-local',
  AssignPublicIp: 'DISABLED',
  WorkflowTaskFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:local-workflow-task',
};

export const substitute = (asl: string, values: Readonly<Record<string, string>>): string =>
  asl.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => values[name] ?? whole);

/** The outcome of one local execution, for callers that want more than "started". */
export type LocalExecutionOutcome = 'succeeded' | 'rejected' | 'failed';

type Json = Parameters<StateMachine['run']>[0];
type EnvEntry = { readonly Name?: unknown; readonly Value?: unknown };

/** The ECS tasks receive the group through container environment variables. */
const fromContainerEnv = (params: Json): GroupTaskInput => {
  const overrides = (
    params as { Overrides?: { ContainerOverrides?: { Environment?: EnvEntry[] }[] } }
  ).Overrides;
  const env = overrides?.ContainerOverrides?.[0]?.Environment ?? [];
  const value = (name: string): string => {
    const found = env.find((e) => e.Name === name)?.Value;
    if (typeof found !== 'string') throw new Error(`task input lacks ${name}`);
    return found;
  };
  return { groupId: value('GROUP_ID'), manifestKey: value('MANIFEST_KEY') };
};

/** The Lambda tasks receive it as the invoke Payload. */
const fromLambdaPayload = (params: Json): GroupTaskInput & { error?: string } => {
  const payload = (params as { Payload?: Record<string, unknown> }).Payload ?? {};
  const { groupId, manifestKey, error, cause } = payload;
  if (typeof groupId !== 'string' || typeof manifestKey !== 'string') {
    throw new Error('task payload lacks groupId or manifestKey');
  }
  const detail = [error, cause].filter((s): s is string => typeof s === 'string').join(': ');
  return { groupId, manifestKey, ...(detail === '' ? {} : { error: detail }) };
};

const asJson = (result: TaskResult): Json => ({ ...result });

export class LocalSfnWorkflowStarter implements WorkflowStarter {
  private readonly machine: StateMachine;
  private readonly outcomes = new Map<string, LocalExecutionOutcome>();

  constructor(
    aslText: string,
    private readonly tasks: TaskRunner,
    private readonly logger: Logger,
    /** retry pauses in ms per attempt (the ASL's 2 s, 4 s, 8 s are too slow for a CLI) */
    private readonly retryPausesMs: readonly number[] = [50, 100, 200],
  ) {
    const definition = JSON.parse(
      substitute(aslText, LOCAL_SUBSTITUTIONS),
    ) as StateMachineDefinition;
    // Not validated here: the library checks a definition against its JSON schema with ajv,
    // which compiled the schema on every construction: ~0.6-1.2 s of CPU at every CLI start
    // (a 1-row ingest took 2.2 s, 1.35 s of it ajv; docs/performance.md, round 5). The definition
    // is the file shipped with the code, the same for every run: the test suite validates it
    // fully, ARNs and JSONPaths included (local-workflow.test.ts), as CDK synth does for AWS.
    this.machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
  }

  /** outcome of the last execution of this name in this process */
  outcome(executionName: string): LocalExecutionOutcome | undefined {
    return this.outcomes.get(executionName);
  }

  async start(input: GroupTaskInput): Promise<WorkflowStart> {
    const executionName = executionNameFor(input.groupId);
    // Locally a repeated start runs again: each step is idempotent, and a previous run may have
    // been killed half-way.
    const outcome = await this.execute(executionName, input);
    this.outcomes.set(executionName, outcome);
    return { executionName, alreadyStarted: false };
  }

  private async execute(name: string, input: GroupTaskInput): Promise<LocalExecutionOutcome> {
    const run = (task: TaskName, taskInput: GroupTaskInput & { error?: string }) =>
      this.tasks.run(task, taskInput);
    const pauses = [...this.retryPausesMs];
    const execution = this.machine.run(
      { groupId: input.groupId, manifestKey: input.manifestKey },
      {
        context: { Execution: { Name: name }, Task: { Token: `local-${name}` } },
        overrides: {
          taskResourceLocalHandlers: {
            Validate: async (params) => asJson(await run('validate', fromContainerEnv(params))),
            Transform: async (params) => asJson(await run('transform', fromContainerEnv(params))),
            // lambda:invoke results come wrapped in Payload, as the ASL's ResultSelector expects
            Archive: async (params) => ({
              Payload: asJson(await run('archive', fromLambdaPayload(params))),
            }),
            RecordFailure: async (params) => ({
              Payload: asJson(await run('record-failure', fromLambdaPayload(params))),
            }),
          },
          retryIntervalOverrides: {
            Validate: pauses,
            Transform: pauses,
            Archive: pauses,
            RecordFailure: pauses,
          },
        },
      },
    );
    try {
      // a rejected group ends in the Succeed state GroupRejected, with validation.ok false
      const output = (await execution.result) as { validation?: { ok?: unknown } } | null;
      if (output?.validation?.ok === false) {
        this.logger.info(`workflow ${name} ended`, { outcome: 'rejected' });
        return 'rejected';
      }
      return 'succeeded';
    } catch (error) {
      if (!(error instanceof ExecutionError)) throw error;
      this.logger.warn(`workflow ${name} ended`, { outcome: 'failed', error: error.message });
      return 'failed';
    }
  }
}
