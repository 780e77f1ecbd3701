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

// streamed bodies of more than one part go up as multipart uploads (s3rver, like S3, assembles
// them); the contract's streamed body (~360 kB) is four parts here
describeObjectStoreContract('S3ObjectStore (s3rver, parts of 100 kB)', async () => {
  const bucket = uniqueName('multipart');
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    port: new S3ObjectStore(client, bucket, { partBytes: 100_000 }),
    cleanup: () => emptyAndDelete(client, bucket),
  };
});

/** a client that records the name of every command it sends */
const recordingClient = (): { client: S3Client; commands: string[] } => {
  const recording = localS3Client();
  const commands: string[] = [];
  recording.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return { client: recording, commands };
};

async function* streamed(parts: number, fail = false): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < parts; i++) yield new Uint8Array(50_000).fill(i + 1);
  if (fail) throw new Error('the source broke');
}

describe('S3ObjectStore streamed puts (s3rver)', () => {
  it('sends a body of one part as one PutObject, and a longer one as a multipart upload', async () => {
    const { client: recording, commands } = recordingClient();
    const bucket = uniqueName('parts');
    await recording.send(new CreateBucketCommand({ Bucket: bucket }));
    const store = new S3ObjectStore(recording, bucket, { partBytes: 100_000 });
    commands.length = 0;
    await store.put('groups/one.json', streamed(2));
    expect(commands).toEqual(['PutObject']);
    commands.length = 0;
    await store.put('groups/five.json', streamed(9));
    expect(commands).toEqual([
      'CreateMultipartUpload',
      ...Array<string>(5).fill('UploadPart'),
      'CompleteMultipartUpload',
    ]);
    const back = Buffer.from((await store.get('groups/five.json')) ?? new Uint8Array());
    expect(back.length).toBe(450_000);
    expect([0, 49_999, 50_000, 449_999].map((i) => back[i])).toEqual([1, 1, 2, 9]);
    await emptyAndDelete(recording, bucket);
    recording.destroy();
  });

  it('aborts the upload when the stream fails after some parts: no object, the error kept', async () => {
    const { client: recording, commands } = recordingClient();
    const bucket = uniqueName('abort');
    await recording.send(new CreateBucketCommand({ Bucket: bucket }));
    const store = new S3ObjectStore(recording, bucket, { partBytes: 100_000 });
    commands.length = 0;
    await expect(store.put('groups/broken.json', streamed(7, true))).rejects.toThrow('broke');
    expect(commands[0]).toBe('CreateMultipartUpload');
    expect(commands.at(-1)).toBe('AbortMultipartUpload');
    expect(commands).not.toContain('CompleteMultipartUpload');
    expect(await store.get('groups/broken.json')).toBeNull();
    await emptyAndDelete(recording, bucket);
    recording.destroy();
  });
});

describe('s3rver as the tests run it (test/integration/local-servers.ts)', () => {
  // S3 is read-after-write consistent; s3rver 3.7.1 answered a PUT before its file was written
  // out, and a contract test once read a short object on a busy CI machine
  it('gives the whole object to a GET sent right after its PUT is answered, many at once', async () => {
    const bucket = uniqueName('read-after-write');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const store = new S3ObjectStore(client, bucket);
    const sizes = Array.from({ length: 24 }, (_, i) => 200_000 + i * 97_001);
    const lengths = await Promise.all(
      sizes.map(async (size, i) => {
        await store.put(`raw/${i}.csv`, 'y'.repeat(size - 1) + String(i % 10));
        let length = 0;
        for await (const chunk of store.getStream(`raw/${i}.csv`)) length += chunk.length;
        return length;
      }),
    );
    expect(lengths).toEqual(sizes);
    // the temp files the shim writes beside objects are never listed
    expect((await store.list('raw/')).map((o) => o.size)).toEqual(
      sizes
        .map((size, i) => ({ key: `raw/${i}.csv`, size }))
        .sort((a, b) => (a.key < b.key ? -1 : 1))
        .map((o) => o.size),
    );
    await emptyAndDelete(client, bucket);
  });
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
