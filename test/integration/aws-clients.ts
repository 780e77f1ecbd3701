// SDK clients pointed at the local servers that the global setup started (see global-setup.ts).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { createS3Client } from '../../src/adapters/s3/s3-client.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-servers.js';

export const localS3Client = (endpoint: string = inject('s3Endpoint')): S3Client =>
  createS3Client({
    region: LOCAL_REGION,
    endpoint,
    credentials: LOCAL_CREDENTIALS,
  });

export const localDynamoClient = (): DynamoDBClient =>
  new DynamoDBClient({
    region: LOCAL_REGION,
    endpoint: inject('dynamoEndpoint'),
    credentials: LOCAL_CREDENTIALS,
  });

let counter = 0;
/** A name no other test in this run uses (tables and buckets are created per test). */
export const uniqueName = (prefix: string): string =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
