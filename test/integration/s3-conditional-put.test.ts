// S3's answers to a conditional PUT that lost a race, through the real S3 client's parser: 412
// when the key exists, 409 ConditionalRequestConflict when another conditional write of the key
// is in flight (racing Delta commits get it). Both mean "not yours", never an error.
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../src/adapters/s3/s3-object-store.js';

const s3Answering = (status: number, code: string) => {
  const seen: Array<Record<string, string>> = [];
  const client = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'stub', secretAccessKey: 'stub' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        seen.push(request.headers);
        const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>m</Message><RequestId>r</RequestId></Error>`;
        return {
          response: {
            statusCode: status,
            headers: { 'content-type': 'application/xml' },
            body: Readable.from([Buffer.from(body)]),
          },
        };
      },
    },
  });
  return { store: new S3ObjectStore(client, 'bucket'), seen };
};

describe('S3ObjectStore.putIfAbsent when another writer wins', () => {
  it.each([
    [412, 'PreconditionFailed'],
    [409, 'ConditionalRequestConflict'],
  ])('treats %i %s as a lost race (false), sending If-None-Match: *', async (status, code) => {
    const { store, seen } = s3Answering(status, code);
    await expect(
      store.putIfAbsent('delta/t/_delta_log/00000000000000000001.json', '{}'),
    ).resolves.toBe(false);
    expect(seen[0]?.['if-none-match']).toBe('*');
  });

  it('still throws what is not a lost race (403 AccessDenied)', async () => {
    const { store } = s3Answering(403, 'AccessDenied');
    await expect(store.putIfAbsent('delta/t/x.json', '{}')).rejects.toThrow();
  });
});
