// Synthesises the stack offline for the tests: no AWS account, no docker, no network. cdk-nag
// runs as in infra/bin/app.ts, so its findings land in the stack's annotations.
import { App, Aspects, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { cdkJsonContext } from '../lib/context.js';
import { PipelineStack, type PipelineStackProps } from '../lib/pipeline-stack.js';

export interface Synthesised {
  readonly stack: PipelineStack;
  readonly template: Template;
}

/**
 * `bundle: false` skips esbuild (CDK's `aws:cdk:bundling-stacks` context) for tests that only
 * look at the template's shape; the main stack test bundles the Lambdas for real. `nag: false`
 * leaves cdk-nag out where its findings are not under test (it is the slowest part of synth).
 * `cfnValidation: false` skips CDK's built-in CloudFormation validation (a WebAssembly engine:
 * about 7 s of CPU per synth here) where the stack test, which keeps it, already covers it.
 */
export const synthPipeline = (
  options: { bundle: boolean; nag?: boolean; cfnValidation?: boolean } & PipelineStackProps = {
    bundle: true,
  },
): Synthesised => {
  const { bundle, nag = true, cfnValidation = true, ...props } = options;
  const context = {
    ...cdkJsonContext(),
    ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
  };
  const app = new App({ context, builtinCloudFormationValidation: cfnValidation });
  const stack = new PipelineStack(app, 'ShopPipeline', props);
  if (nag) Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { stack, template: Template.fromStack(stack) };
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** asset hashes (bundle and image content) replaced, so the snapshot follows the infrastructure
 *  and not every edit of the application code */
export const normaliseAssetHashes = (value: Json): Json => {
  if (typeof value === 'string') return value.replace(/[0-9a-f]{64}/g, '<asset-hash>');
  if (Array.isArray(value)) return value.map(normaliseAssetHashes);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseAssetHashes(v)]));
  }
  return value;
};

export type { Json };

/** the logical id a construct's CloudFormation resource got in its stack */
export const logicalIdOf = (construct: IConstruct): string => {
  const stack = Stack.of(construct);
  return String(stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)));
};
