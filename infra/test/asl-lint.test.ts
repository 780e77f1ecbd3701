// Lint of the state machine AWS runs (the DefinitionString of the synthesised template): what a
// deployed workflow needs and local runs cannot show. Without TimeoutSeconds an execution whose
// task died silently stays RUNNING for a year; without HeartbeatSeconds a .waitForTaskToken task
// that never calls back does the same; a Retry list that misses RunTask's real errors never
// retries a capacity shortage.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  PUBLISH_REDELIVERY_SECONDS,
  WORKFLOW_TIMEOUT_SECONDS,
} from '../../src/application/stuck-groups.js';
import { HEARTBEAT_INTERVAL_MS } from '../../src/entrypoints/ecs/group-task.js';
import { logicalIdOf, synthPipeline, type Synthesised } from './synth.js';

interface Retrier {
  readonly ErrorEquals: string[];
  readonly MaxAttempts?: number;
}
interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly TimeoutSeconds?: number;
  readonly HeartbeatSeconds?: number;
  readonly Retry?: Retrier[];
  readonly Next?: string;
  readonly Default?: string;
  readonly Choices?: { Next: string }[];
}
interface Definition {
  readonly TimeoutSeconds?: number;
  readonly States: Record<string, State>;
}

/** the errors RunTask reports to Step Functions when ECS cannot start a task (service faults,
 *  throttling, capacity shortages, ENI/subnet trouble), as named in Step Functions' ECS docs */
export const RUN_TASK_ERRORS = [
  'ECS.AmazonECSException',
  'ECS.ServerException',
  'ECS.InvalidParameterException',
  'AmazonECS.Unknown',
];

let synth: Synthesised;
let definition: Definition;
beforeAll(() => {
  synth = synthPipeline({ bundle: false, nag: false });
  const machine = Object.values(synth.template.findResources('AWS::StepFunctions::StateMachine'))[0]
    ?.Properties as { DefinitionString: string };
  definition = JSON.parse(machine.DefinitionString) as Definition;
}, 600_000);

const tasks = (): Array<[string, State]> =>
  Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');
const retried = (state: State): string[] => (state.Retry ?? []).flatMap((r) => r.ErrorEquals);

describe('the deployed state machine definition', () => {
  it('has a top-level TimeoutSeconds (CDK drops `timeout` for DefinitionBody.fromString)', () => {
    expect(definition.TimeoutSeconds).toBeGreaterThan(0);
    expect(definition.TimeoutSeconds).toBeLessThanOrEqual(24 * 3600);
  });

  // `status` and `retry` call a group stuck past these two numbers (src/application/stuck-groups.ts)
  it('matches the stuck-group limit: the execution timeout plus the queues redeliveries', () => {
    const groupMachine = synth.template.findResources('AWS::StepFunctions::StateMachine')[
      logicalIdOf(synth.stack.workflow.stateMachine)
    ]?.Properties as { DefinitionString: string };
    const asl = JSON.parse(groupMachine.DefinitionString) as Definition;
    expect(asl.TimeoutSeconds).toBe(WORKFLOW_TIMEOUT_SECONDS);
    // a GroupCompleted may be published again on each later receive of the landing message,
    // and its StartExecution tried again on each later receive of the events message
    const queues = synth.template.findResources('AWS::SQS::Queue');
    const redeliveries = [synth.stack.storage.landingQueue, synth.stack.routing.eventsQueue].map(
      (q) => {
        const p = queues[logicalIdOf(q)]?.Properties as {
          VisibilityTimeout: number;
          RedrivePolicy: { maxReceiveCount: number };
        };
        return p.VisibilityTimeout * (p.RedrivePolicy.maxReceiveCount - 1);
      },
    );
    expect(redeliveries[0]! + redeliveries[1]!).toBe(PUBLISH_REDELIVERY_SECONDS);
  });

  it('gives every Task a TimeoutSeconds shorter than the execution', () => {
    expect(tasks().length).toBeGreaterThanOrEqual(4);
    for (const [name, state] of tasks()) {
      expect({ name, timeout: state.TimeoutSeconds }).toEqual({
        name,
        timeout: expect.any(Number),
      });
      expect(state.TimeoutSeconds).toBeLessThan(definition.TimeoutSeconds ?? 0);
    }
  });

  it('gives every .waitForTaskToken Task a heartbeat the task beats well within', () => {
    const waiting = tasks().filter(([, s]) => s.Resource?.endsWith('.waitForTaskToken'));
    expect(waiting.length).toBeGreaterThan(0);
    for (const [name, state] of waiting) {
      expect({ name, heartbeat: state.HeartbeatSeconds }).toEqual({
        name,
        heartbeat: expect.any(Number),
      });
      expect(state.HeartbeatSeconds).toBeLessThan(state.TimeoutSeconds ?? 0);
      // at least three beats per heartbeat window: one lost call does not fail the group
      expect(HEARTBEAT_INTERVAL_MS * 3).toBeLessThanOrEqual((state.HeartbeatSeconds ?? 0) * 1000);
      expect(retried(state)).toEqual(
        expect.arrayContaining(['States.HeartbeatTimeout', 'States.Timeout']),
      );
    }
  });

  it('retries the errors RunTask really raises on every ECS Task', () => {
    const ecs = tasks().filter(([, s]) => s.Resource?.includes(':states:::ecs:runTask'));
    expect(ecs.map(([n]) => n).sort()).toEqual(['Transform', 'Validate']);
    for (const [, state] of ecs)
      expect(retried(state)).toEqual(expect.arrayContaining(RUN_TASK_ERRORS));
  });

  it('retries a failed .sync Transform (States.TaskFailed), a bounded number of times', () => {
    const transform = definition.States.Transform!;
    const retrier = transform.Retry?.find((r) => r.ErrorEquals.includes('States.TaskFailed'));
    expect(retrier?.MaxAttempts).toBeGreaterThanOrEqual(1);
    expect(retrier?.MaxAttempts).toBeLessThanOrEqual(3);
  });

  it('waits for a Lambda task longer than the function may run', () => {
    const fn = synth.template.toJSON().Resources[logicalIdOf(synth.stack.functions.workflowTask)]
      .Properties as { Timeout: number };
    for (const [, state] of tasks().filter(([, s]) => s.Resource?.includes(':lambda:invoke'))) {
      expect(state.TimeoutSeconds).toBeGreaterThan(fn.Timeout);
    }
  });

  it('names no partition: every ARN takes ${Partition}, which the stack binds to AWS::Partition', () => {
    const text = JSON.stringify(definition);
    expect(text).not.toMatch(/arn:aws[-a-z]*:/);
    for (const [, state] of tasks())
      expect(state.Resource).toMatch(/^arn:\$\{Partition\}:states:::/);
    const machine = Object.values(
      synth.template.findResources('AWS::StepFunctions::StateMachine'),
    )[0]?.Properties as { DefinitionSubstitutions: Record<string, unknown> };
    expect(machine.DefinitionSubstitutions.Partition).toEqual({ Ref: 'AWS::Partition' });
  });

  it('ends a rejected group in Succeed: only real failures reach a Fail state', () => {
    const choice = definition.States.IsValid!;
    expect(definition.States[choice.Default ?? '']?.Type).toBe('Succeed');
    const fails = Object.entries(definition.States).filter(([, s]) => s.Type === 'Fail');
    const into = (target: string) =>
      Object.entries(definition.States)
        .filter(
          ([, s]) =>
            s.Next === target || s.Default === target || s.Choices?.some((c) => c.Next === target),
        )
        .map(([n]) => n);
    for (const [name] of fails) expect(into(name)).toEqual(['RecordFailure']);
  });
});
