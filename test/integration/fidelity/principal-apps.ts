// How each principal reaches its recording proxy: a bundled function through the environment
// variables the SDK and the composition read (as in Lambda, plus the endpoint overrides), the
// task and the operator through the composition built from their environment.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Container } from 'inversify';
import { createS3Client } from '../../../src/adapters/s3/s3-client.js';
import {
  awsAppOf,
  awsConfigFromEnv,
  buildAwsContainer,
  type AwsApp,
  type AwsClients,
} from '../../../src/entrypoints/composition/aws.container.js';
import type { Synthesised } from '../../../infra/test/synth.js';
import { quietLogger } from '../aws-test-app.js';
import { LOCAL_CREDENTIALS } from '../local-servers.js';
import { REGION } from './recorded-calls.js';
import { functionEnvironment, type FunctionName } from './stack-environment.js';
import type { Physical } from './template-policies.js';

/** the function's environment in the template, and what Lambda and the test add to it */
export const lambdaEnvironment = (
  synth: Synthesised,
  name: FunctionName,
  physical: Physical,
  endpoint: string,
): Record<string, string> => ({
  ...functionEnvironment(synth, name, physical),
  AWS_REGION: REGION,
  AWS_LAMBDA_FUNCTION_NAME: name,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  // every service of the SDK (EventBridge, Step Functions) at the proxy; S3 and DynamoDB also
  // through the composition's own settings
  AWS_ENDPOINT_URL: endpoint,
  AWS_ENDPOINT_URL_S3: endpoint,
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  PATH: process.env.PATH ?? '',
});

/** the AWS composition of a principal that runs in the test's process, on its proxy */
export const appOnProxy = (
  env: Record<string, string>,
  endpoint: string,
): { app: AwsApp; container: Container } => {
  const config = awsConfigFromEnv({ ...env, AWS_REGION: REGION });
  const common = { region: REGION, endpoint, credentials: LOCAL_CREDENTIALS };
  const clients: AwsClients = {
    s3: createS3Client(common),
    dynamo: new DynamoDBClient(common),
    eventBridge: new EventBridgeClient(common),
    sfn: new SFNClient(common),
  };
  const container = buildAwsContainer(config, clients, { logger: quietLogger });
  return { app: awsAppOf(container, clients.sfn, config.stateMachineArn), container };
};
