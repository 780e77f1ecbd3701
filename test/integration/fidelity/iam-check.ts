// The IAM check of a run: each distinct (principal, action, resource) the run recorded is
// evaluated against that principal's identity policies in the synthesised template.
import type { Synthesised } from '../../../infra/test/synth.js';
import type { AwsWorld } from './aws-world.js';
import { physicalOf, roleIdsOf } from './stack-environment.js';
import { rolePolicies, simulate } from './template-policies.js';

/** whether an Allow statement names the action (or its prefix*) on exactly that resource */
const allowsOn = (policies: Array<{ policy: unknown }>, action: string, resource: string) =>
  policies.some(({ policy }) =>
    ((policy as { Statement: unknown[] }).Statement as Array<Record<string, unknown>>).some((s) => {
      const actions = [s.Action].flat() as string[];
      const resources = [s.Resource].flat() as string[];
      const actionOk = actions.some(
        (a) => a === action || (a.endsWith('*') && action.startsWith(a.slice(0, -1))),
      );
      return s.Effect === 'Allow' && actionOk && resources.includes(resource);
    }),
  );

export interface IamReport {
  /** distinct "principal action" pairs checked, sorted */
  readonly checked: string[];
  /** calls the simulator (or, for SendTask*, the statement check) did not allow */
  readonly denied: string[];
  /** calls IAM cannot scope to a resource, checked as granted on the machine's ARN instead */
  readonly structural: string[];
}

/** the operator (retry --aws) runs with a person's credentials: no role of the stack */
const STACK_PRINCIPALS = new Set(['ingest', 'events', 'workflowTask', 'task', 'ingestTask']);

export const checkIam = async (synth: Synthesised, world: AwsWorld): Promise<IamReport> => {
  const roles = roleIdsOf(synth);
  const physical = physicalOf(synth, world.names, world.tables);
  const calls = world.calls.filter((c) => STACK_PRINCIPALS.has(c.principal));
  const unique = new Map(calls.map((c) => [`${c.principal} ${c.action} ${c.resource}`, c]));
  const denied: string[] = [];
  const structural: string[] = [];
  for (const [key, call] of unique) {
    const policies = rolePolicies(synth.template, roles[call.principal]!, physical);
    const verdict = await simulate(call, policies);
    // SendTask* have no resource type in IAM's reference, so the simulator insists on "*";
    // AWS authorises them against the token's state machine (its AccessDenied names it), so
    // for those the role must allow the action on our machine's ARN
    if (verdict.includes('must.use.wildcard')) {
      structural.push(key);
      if (!allowsOn(policies, call.action, call.resource)) denied.push(`${key}: not granted`);
    } else if (verdict !== 'Allowed') denied.push(`${key}: ${verdict}`);
  }
  const checked = [...new Set(calls.map((c) => `${c.principal} ${c.action}`))].sort();
  return { checked, denied, structural };
};
