// The identity policies of each role in the synthesised template, with CloudFormation's
// intrinsics resolved to the names the test's resources have, evaluated by an IAM simulator.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Template } from 'aws-cdk-lib/assertions';
import { ACCOUNT, REGION, type Call } from './recorded-calls.js';

type Json = unknown;

/** logical id -> { Ref, Arn } of the resources the test created for real */
export type Physical = Record<string, { readonly ref: string; readonly arn: string }>;

export const resolve = (value: Json, physical: Physical): Json => {
  if (Array.isArray(value)) return value.map((v) => resolve(v, physical));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, Json>;
  if ('Ref' in o) {
    const ref = String(o.Ref);
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    return pseudo[ref] ?? physical[ref]?.ref ?? `unresolved-${ref}`;
  }
  if ('Fn::GetAtt' in o) {
    const [id, attr] = o['Fn::GetAtt'] as [string, string];
    return attr === 'Arn' ? (physical[id]?.arn ?? `arn:aws:unresolved:::${id}`) : `${id}.${attr}`;
  }
  if ('Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, Json[]];
    return parts.map((p) => String(resolve(p, physical))).join(sep);
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v, physical)]));
};

/** every identity policy statement attached to the role, resolved */
export const rolePolicies = (template: Template, roleId: string, physical: Physical) => {
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, Json> }
  >;
  const out: Array<{ name: string; policy: Json }> = [];
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::IAM::Policy') continue;
    const roles = (r.Properties.Roles as Array<{ Ref: string }>).map((x) => x.Ref);
    if (!roles.includes(roleId)) continue;
    out.push({ name: id, policy: resolve(r.Properties.PolicyDocument, physical) });
  }
  return out;
};

/** 'Allowed', or the simulator's verdict (ImplicitlyDenied, ...) or validation error */
export const simulate = async (
  call: Call,
  policies: Array<{ name: string; policy: Json }>,
): Promise<string> => {
  const response = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/${call.principal}`,
        action: call.action,
        resource: { resource: call.resource, accountId: ACCOUNT },
        contextVariables: {},
      },
      identityPolicies: policies as never,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: undefined,
    } as never,
    {},
  );
  if (response.resultType === 'error') return `error: ${JSON.stringify(response.errors)}`;
  return response.overallResult;
};
