// vitest global setup of the contract and integration projects: DynamoDB Local and s3rver on free
// loopback ports, started once per run and stopped afterwards (also when a test fails), so
// `npm test` needs nothing running beforehand. Tests read the endpoints with inject().
import type { TestProject } from 'vitest/node';
import { startDynamoLocal, startS3rver, type DynamoLocal, type S3Local } from './local-servers.js';

export const TEST_BUCKET = 'shop-pipeline-test';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
    s3Bucket: string;
  }
}

interface Servers {
  readonly dynamo: DynamoLocal;
  readonly s3: S3Local;
}

const start = async (): Promise<Servers> => {
  const [dynamo, s3] = await Promise.allSettled([startDynamoLocal(), startS3rver([TEST_BUCKET])]);
  if (dynamo.status === 'fulfilled' && s3.status === 'fulfilled') {
    return { dynamo: dynamo.value, s3: s3.value };
  }
  if (dynamo.status === 'fulfilled') await dynamo.value.stop();
  if (s3.status === 'fulfilled') await s3.value.stop();
  throw dynamo.status === 'rejected' ? dynamo.reason : (s3 as PromiseRejectedResult).reason;
};

// Each project that lists this file runs it; the servers are shared by reference count so one
// DynamoDB Local (a JVM of ~250 MB) serves the whole run.
const shared = globalThis as { shopPipelineServers?: { refs: number; ready: Promise<Servers> } };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const entry = (shared.shopPipelineServers ??= { refs: 0, ready: start() });
  entry.refs++;
  let servers: Servers;
  try {
    servers = await entry.ready;
  } catch (error) {
    if (--entry.refs === 0) delete shared.shopPipelineServers;
    throw error;
  }
  project.provide('dynamoEndpoint', servers.dynamo.endpoint);
  project.provide('s3Endpoint', servers.s3.endpoint);
  project.provide('s3Bucket', TEST_BUCKET);
  return async () => {
    if (--entry.refs > 0) return;
    delete shared.shopPipelineServers;
    await Promise.allSettled([servers.dynamo.stop(), servers.s3.stop()]);
  };
}
