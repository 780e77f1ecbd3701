// The three Lambdas, bundled by esbuild from node_modules on the synthesising machine (no docker).
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  EVENTS_TIMEOUT_SECONDS,
  INGEST_MEMORY_MB,
  INGEST_TIMEOUT_SECONDS,
  REPO_ROOT,
} from './layout.js';

// ESM output keeps top-level await and ESM-only packages (inversify) working; CommonJS
// dependencies bundled into it (parquet-wasm's node build) still need require and __dirname.
const ESM_BANNER = [
  "import { createRequire as __cdkCreateRequire } from 'node:module';",
  "import { fileURLToPath as __cdkFileUrlToPath } from 'node:url';",
  "import { dirname as __cdkDirname } from 'node:path';",
  'const require = __cdkCreateRequire(import.meta.url);',
  'const __filename = __cdkFileUrlToPath(import.meta.url);',
  'const __dirname = __cdkDirname(__filename);',
].join(' ');

const PARQUET_WASM = join('node_modules', 'parquet-wasm', 'node', 'parquet_wasm_bg.wasm');

export const BUNDLING: nodejs.BundlingOptions = {
  forceDockerBundling: false,
  format: nodejs.OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  // Bundle the pinned SDK instead of the runtime's copy, so Lambda runs what the tests ran.
  externalModules: [],
  banner: ESM_BANNER,
  logLevel: nodejs.LogLevel.ERROR,
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    // parquet-wasm loads its .wasm from __dirname: put it next to the bundle.
    afterBundling: (inputDir: string, outputDir: string) => [
      `cp "${join(inputDir, PARQUET_WASM)}" "${outputDir}/"`,
    ],
  },
};

export interface PipelineFunctionsProps {
  readonly environment: Record<string, string>;
}

export class PipelineFunctions extends Construct {
  readonly ingest: nodejs.NodejsFunction;
  readonly events: nodejs.NodejsFunction;
  readonly workflowTask: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: PipelineFunctionsProps) {
    super(scope, id);
    this.ingest = this.fn('Ingest', 'ingest', INGEST_TIMEOUT_SECONDS, INGEST_MEMORY_MB, props);
    this.events = this.fn('Events', 'events', EVENTS_TIMEOUT_SECONDS, 256, props);
    this.workflowTask = this.fn('WorkflowTask', 'workflow-task', 300, 512, props);
  }

  private fn(
    id: string,
    name: string,
    timeoutSeconds: number,
    memorySize: number,
    props: PipelineFunctionsProps,
  ): nodejs.NodejsFunction {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      retention: logs.RetentionDays.ONE_MONTH,
    });
    // Its own role instead of AWSLambdaBasicExecutionRole: logs go to this log group only.
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `shop-pipeline ${name} function`,
    });
    logGroup.grantWrite(role);
    return new nodejs.NodejsFunction(this, id, {
      description: `shop-pipeline ${name}`,
      entry: join(REPO_ROOT, 'src', 'entrypoints', 'lambda', `${name}.handler.ts`),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(timeoutSeconds),
      memorySize,
      logGroup,
      role,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: BUNDLING,
    });
  }
}
