// A streamed object body written to S3 without holding it whole. PutObject needs the body's
// length before the first byte, so a body of unknown length (the group manifest a landing
// writes as it encodes it: ~70 MB at 1M items, ~220 MB at 3M) went up as one buffer, all of it
// in the Lambda's or task's memory at once. Here it goes up in parts of a fixed size through a
// multipart upload, with one part in flight while the next is gathered; a body that fits in one
// part is one PutObject, as before. The SDK's lib-storage `Upload` does the same but is not a
// dependency; these four commands are all it takes.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** S3 takes parts of at least 5 MiB (all but the last) and at most 10,000 of them */
export const PART_BYTES = 8 * 1024 * 1024;

/**
 * The body cut into parts of exactly `size` bytes, the last one shorter (and none for an
 * empty body). Each part is a fresh buffer: the one before may still be uploading.
 */
export async function* partsOf(
  body: AsyncIterable<Uint8Array>,
  size: number,
): AsyncGenerator<Uint8Array> {
  let part = new Uint8Array(size);
  let filled = 0;
  for await (const chunk of body) {
    let at = 0;
    while (at < chunk.length) {
      const n = Math.min(size - filled, chunk.length - at);
      part.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === size) {
        yield part;
        part = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield part.subarray(0, filled);
}

/** Writes `body` to bucket/key in parts of `partBytes`; nothing is left behind on failure. */
export async function putStreamed(
  client: S3Client,
  bucket: string,
  key: string,
  body: AsyncIterable<Uint8Array>,
  partBytes: number,
): Promise<void> {
  const parts = partsOf(body, partBytes);
  const first = await parts.next();
  const second = first.done === true ? first : await parts.next();
  if (second.done === true) {
    const bytes = first.done === true ? new Uint8Array() : first.value;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    return;
  }
  const created = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const uploadId = created.UploadId;
  if (uploadId === undefined) throw new Error(`S3 started no multipart upload for ${key}`);
  const done: { ETag: string; PartNumber: number }[] = [];
  const upload = async (bytes: Uint8Array, partNumber: number): Promise<void> => {
    const out = await client.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: bytes,
      }),
    );
    if (out.ETag === undefined)
      throw new Error(`S3 returned no ETag for part ${partNumber} of ${key}`);
    done.push({ ETag: out.ETag, PartNumber: partNumber });
  };
  let inFlight: Promise<void> | undefined;
  try {
    let number = 0;
    const gathered = (async function* () {
      yield first.value as Uint8Array;
      yield second.value;
      yield* parts;
    })();
    for await (const bytes of gathered) {
      // one part uploads while the next one is gathered: at most two parts in memory
      await inFlight;
      inFlight = upload(bytes, ++number);
      // a rejection is awaited on the next turn or after the loop, never left unhandled
      inFlight.catch(() => undefined);
    }
    await inFlight;
    done.sort((a, b) => a.PartNumber - b.PartNumber);
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: done },
      }),
    );
  } catch (error) {
    await inFlight?.catch(() => undefined);
    // the parts uploaded so far are billed until aborted; the original error is what matters
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
      .catch(() => undefined);
    throw error;
  }
}
