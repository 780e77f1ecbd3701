// The Lambdas' CDK bundling (BUNDLING in functions.ts) run as one direct esbuild build, for the
// fidelity tests that invoke the bundled handlers: a full synth with bundling takes the better
// part of a minute here, this takes seconds. Every BundlingOptions field the stack sets is
// mapped to the esbuild flag CDK passes for it (aws-lambda-nodejs/lib/bundling.js); a field
// added to BUNDLING and not mapped here fails the build instead of being silently dropped.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type BuildOptions, type LogLevel } from 'esbuild';
import { BUNDLING } from './functions.js';
import { REPO_ROOT } from './layout.js';

/** the handler files of the stack's three functions (PipelineFunctions' `entry`) */
export const LAMBDA_HANDLERS = ['ingest', 'events', 'workflow-task'] as const;
export type LambdaHandler = (typeof LAMBDA_HANDLERS)[number];

const MAPPED = new Set([
  'forceDockerBundling',
  'format',
  'target',
  'mainFields',
  'minify',
  'sourceMap',
  'externalModules',
  'banner',
  'logLevel',
  'commandHooks',
]);

export const esbuildOptionsOf = (bundling: nodejs.BundlingOptions): BuildOptions => {
  const unmapped = Object.keys(bundling).filter((k) => !MAPPED.has(k));
  if (unmapped.length > 0) {
    throw new Error(`BUNDLING fields not mapped to esbuild: ${unmapped.join(', ')}`);
  }
  return {
    bundle: true,
    platform: 'node',
    format: bundling.format === nodejs.OutputFormat.ESM ? 'esm' : 'cjs',
    ...(bundling.target === undefined ? {} : { target: bundling.target }),
    ...(bundling.mainFields === undefined ? {} : { mainFields: bundling.mainFields }),
    minify: bundling.minify ?? false,
    sourcemap: bundling.sourceMap ?? false,
    // CDK's default for Node 18+ runtimes leaves the runtime's SDK out
    external: bundling.externalModules ?? ['@aws-sdk/*'],
    ...(bundling.banner === undefined ? {} : { banner: { js: bundling.banner } }),
    logLevel: (bundling.logLevel ?? 'warning') as LogLevel,
  };
};

/**
 * Bundles the handler as the stack does into `<outdir>/<name>/index.mjs` (the asset's file name
 * for ESM), runs the stack's afterBundling commands there, and returns the bundle's path.
 */
export const buildLambdaBundle = async (
  name: LambdaHandler,
  outdir: string,
  bundling: nodejs.BundlingOptions = BUNDLING,
): Promise<string> => {
  const dir = join(outdir, name);
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, bundling.format === nodejs.OutputFormat.ESM ? 'index.mjs' : 'index.js');
  await build({
    ...esbuildOptionsOf(bundling),
    entryPoints: [join(REPO_ROOT, 'src', 'entrypoints', 'lambda', `${name}.handler.ts`)],
    outfile,
    absWorkingDir: REPO_ROOT,
  });
  for (const command of bundling.commandHooks?.afterBundling(REPO_ROOT, dir) ?? []) {
    execFileSync('bash', ['-c', command], { cwd: REPO_ROOT });
  }
  return outfile;
};
