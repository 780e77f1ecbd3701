// vitest global setup of the contract and integration projects: DynamoDB Local and s3rver on free
// loopback ports, started once per run and stopped afterwards (also when a test fails), so
// `npm test` needs nothing running beforehand. Tests read the endpoints with inject().
import type { TestProject } from 'vitest/node';
import { startDynamoLocal, startS3rver } from './local-servers.js';

export const TEST_BUCKET = 'shop-pipeline-test';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
    s3Bucket: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [dynamo, s3] = await Promise.allSettled([startDynamoLocal(), startS3rver([TEST_BUCKET])]);
  if (dynamo.status === 'rejected' || s3.status === 'rejected') {
    if (dynamo.status === 'fulfilled') await dynamo.value.stop();
    if (s3.status === 'fulfilled') await s3.value.stop();
    throw dynamo.status === 'rejected' ? dynamo.reason : (s3 as PromiseRejectedResult).reason;
  }
  project.provide('dynamoEndpoint', dynamo.value.endpoint);
  project.provide('s3Endpoint', s3.value.endpoint);
  project.provide('s3Bucket', TEST_BUCKET);
  return async () => {
    await Promise.allSettled([dynamo.value.stop(), s3.value.stop()]);
  };
}
