// Reads IAM statements out of a synthesised template, for assertions on least privilege.
import type { Template } from 'aws-cdk-lib/assertions';
import type { Json } from './synth.js';

export interface Statement {
  /** logical id of the AWS::IAM::Policy (or Role, for inline policies) holding it */
  readonly policy: string;
  /** logical ids of the roles the policy is attached to */
  readonly roles: readonly string[];
  readonly effect: string;
  readonly actions: readonly string[];
  /** each resource as JSON text: '"*"' or '{"Fn::GetAtt":[...]}' */
  readonly resources: readonly string[];
}

const list = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const statementsOf = (policy: string, roles: string[], document: unknown): Statement[] => {
  const body = document as { Statement?: unknown };
  return list(body.Statement).map((raw) => {
    const s = raw as { Effect: string; Action?: unknown; Resource?: unknown };
    return {
      policy,
      roles,
      effect: s.Effect,
      actions: list(s.Action).map(String),
      resources: list(s.Resource).map((r) => JSON.stringify(r)),
    };
  });
};

/** every identity-based statement: AWS::IAM::Policy, ManagedPolicy and roles' inline policies */
export const allStatements = (template: Template): Statement[] => {
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties?: Json }
  >;
  const out: Statement[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    const props = (resource.Properties ?? {}) as Record<string, unknown>;
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      const roles = list(props.Roles).map((r) => (r as { Ref: string }).Ref);
      out.push(...statementsOf(id, roles, props.PolicyDocument));
    }
    if (resource.Type === 'AWS::IAM::Role') {
      for (const inline of list(props.Policies)) {
        out.push(...statementsOf(id, [id], (inline as { PolicyDocument: unknown }).PolicyDocument));
      }
    }
  }
  return out;
};

export const statementsOfRole = (template: Template, roleLogicalId: string): Statement[] =>
  allStatements(template).filter((s) => s.roles.includes(roleLogicalId));

/** the logical id a role construct got in the template */
export const refOf = (value: unknown): string => {
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref !== 'string') throw new Error(`not a Ref: ${JSON.stringify(value)}`);
  return ref;
};
