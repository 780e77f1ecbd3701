// What the synthesised template says about each principal, resolved to the test's real
// resources: the physical names behind the logical ids, each Lambda's environment variables and
// the task container's, and the role each principal runs as.
import type { IConstruct } from 'constructs';
import type { TableNames } from '../../../src/adapters/dynamodb/dynamodb-table-setup.js';
import { logicalIdOf, type Synthesised } from '../../../infra/test/synth.js';
import type { TableName } from '../../../infra/lib/storage.js';
import { ACCOUNT, REGION, type Names } from './recorded-calls.js';
import { resolve, type Physical } from './template-policies.js';

export const physicalOf = (synth: Synthesised, names: Names, tables: TableNames): Physical => {
  const { storage, routing, workflow } = synth.stack;
  const out: Physical = {
    [logicalIdOf(storage.bucket)]: { ref: names.bucket, arn: `arn:aws:s3:::${names.bucket}` },
    [logicalIdOf(routing.bus)]: {
      ref: names.busName,
      arn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${names.busName}`,
    },
    [logicalIdOf(workflow.stateMachine)]: {
      ref: names.stateMachineArn,
      arn: names.stateMachineArn,
    },
  };
  // any other state machine of the stack (e.g. a route for big files) under its logical id
  const machines = synth.template.findResources('AWS::StepFunctions::StateMachine');
  for (const id of Object.keys(machines)) {
    if (out[id] !== undefined) continue;
    const arn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${id}`;
    out[id] = { ref: arn, arn };
  }
  for (const [name, table] of Object.entries(storage.tables)) {
    const physical = tables[name as TableName];
    out[logicalIdOf(table)] = {
      ref: physical,
      arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${physical}`,
    };
  }
  return out;
};

export type FunctionName = 'ingest' | 'events' | 'workflowTask';

const resources = (synth: Synthesised) =>
  synth.template.toJSON().Resources as Record<string, { Properties: Record<string, unknown> }>;

const resolvedStrings = (value: unknown, physical: Physical): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(resolve(value, physical) as Record<string, unknown>)) {
    const s = String(v);
    if (s.includes('unresolved')) throw new Error(`${k} refers to a resource the test lacks: ${s}`);
    out[k] = s;
  }
  return out;
};

/** the function's Environment.Variables in the template, resolved */
export const functionEnvironment = (
  synth: Synthesised,
  name: FunctionName,
  physical: Physical,
): Record<string, string> => {
  const fn = resources(synth)[logicalIdOf(synth.stack.functions[name])];
  const env = (fn?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  return resolvedStrings(env, physical);
};

/** a task definition's container Environment in the template, resolved (the group tasks' by
 *  default, or the ingest task's) */
export const taskEnvironment = (
  synth: Synthesised,
  physical: Physical,
  taskDefinition: IConstruct = synth.stack.tasks.taskDefinition,
): Record<string, string> => {
  const def = resources(synth)[logicalIdOf(taskDefinition)];
  const container = (def?.Properties.ContainerDefinitions as Array<Record<string, unknown>>)[0];
  const list = (container?.Environment ?? []) as Array<{ Name: string; Value: unknown }>;
  return resolvedStrings(Object.fromEntries(list.map((e) => [e.Name, e.Value])), physical);
};

/** principal -> the logical id of the role it runs as */
export const roleIdsOf = (synth: Synthesised): Record<string, string> => {
  const { functions, tasks } = synth.stack;
  return {
    ingest: logicalIdOf(functions.ingest.role!),
    events: logicalIdOf(functions.events.role!),
    workflowTask: logicalIdOf(functions.workflowTask.role!),
    task: logicalIdOf(tasks.taskDefinition.taskRole),
    ingestTask: logicalIdOf(tasks.ingestTaskDefinition.taskRole),
  };
};
