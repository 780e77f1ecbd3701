// The ObjectStore contract against S3ObjectStore talking to s3rver (a real S3 HTTP server).
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../src/adapters/s3/s3-object-store.js';
import { localS3Client, uniqueName } from '../integration/aws-clients.js';
import { describeObjectStoreContract } from './object-store.contract.js';

const client = localS3Client();
afterAll(() => client.destroy());

const emptyAndDelete = async (s3: S3Client, bucket: string): Promise<void> => {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const keys = (listed.Contents ?? []).flatMap((o) =>
    o.Key === undefined ? [] : [{ Key: o.Key }],
  );
  if (keys.length > 0) {
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
};

describeObjectStoreContract('S3ObjectStore (s3rver)', async () => {
  const bucket = uniqueName('contract');
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return { port: new S3ObjectStore(client, bucket), cleanup: () => emptyAndDelete(client, bucket) };
});

describe('S3ObjectStore request shape (s3rver)', () => {
  it('sends If-None-Match: * on putIfAbsent and not on put', async () => {
    const spied = localS3Client();
    const seen: Array<{ key: string; ifNoneMatch: string | undefined }> = [];
    spied.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { path?: string; headers?: Record<string, string> };
        seen.push({ key: request.path ?? '', ifNoneMatch: request.headers?.['if-none-match'] });
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordHeaders' },
    );
    const bucket = uniqueName('headers');
    await spied.send(new CreateBucketCommand({ Bucket: bucket }));
    const store = new S3ObjectStore(spied, bucket);
    seen.length = 0;
    await store.putIfAbsent('locks/a', 'x');
    await store.put('plain/b', 'y');
    expect(seen).toEqual([
      { key: `/${bucket}/locks/a`, ifNoneMatch: '*' },
      { key: `/${bucket}/plain/b`, ifNoneMatch: undefined },
    ]);
    await emptyAndDelete(spied, bucket);
    spied.destroy();
  });

  it('round-trips a streamed multi-megabyte body byte for byte (no aws-chunked framing)', async () => {
    const bucket = uniqueName('bytes');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const store = new S3ObjectStore(client, bucket);
    const bytes = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) % 251);
    await store.put('staging/orders/big.parquet', bytes);
    const chunks: Uint8Array[] = [];
    for await (const chunk of store.getStream('staging/orders/big.parquet')) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.compare(Buffer.concat(chunks), Buffer.from(bytes))).toBe(0);
    await emptyAndDelete(client, bucket);
  });

  // ('+' is left out: s3rver decodes x-amz-copy-source with decodeURI, which keeps %2B.)
  it('keeps keys with spaces, parentheses and unicode intact through copy and list', async () => {
    const bucket = uniqueName('keys');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const store = new S3ObjectStore(client, bucket);
    await store.put('incoming/orders/my file ü (1).csv', 'a');
    await store.copy('incoming/orders/my file ü (1).csv', 'archive/orders/my file ü (1).csv');
    expect((await store.list('')).map((o) => o.key)).toEqual([
      'archive/orders/my file ü (1).csv',
      'incoming/orders/my file ü (1).csv',
    ]);
    await emptyAndDelete(client, bucket);
  });
});
