// ObjectStore on Amazon S3 (SDK v3). The client is passed in, created once by the composition
// root, so tests can point it at a local server.
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  ObjectNotFound,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStore,
} from '../../ports/object-store.port.js';
import { assertObjectKey, assertObjectPrefix } from '../in-memory/object-key.js';
import { PART_BYTES, putStreamed } from './s3-multipart-put.js';

const errorName = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';

const httpStatus = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null && '$metadata' in error
    ? (error.$metadata as { httpStatusCode?: number }).httpStatusCode
    : undefined;

const isNotFound = (error: unknown): boolean =>
  errorName(error) === 'NoSuchKey' || errorName(error) === 'NotFound' || httpStatus(error) === 404;

/**
 * A conditional PUT that lost to another writer: 412 PreconditionFailed when the key exists, or
 * 409 ConditionalRequestConflict when a conflicting write to the key is in flight (S3 answers
 * that to racing If-None-Match PUTs, e.g. two Delta commits of one version). Either way the key
 * is not ours; the caller re-reads and decides again, as after a 412.
 */
const isLostRace = (error: unknown): boolean =>
  errorName(error) === 'PreconditionFailed' ||
  httpStatus(error) === 412 ||
  errorName(error) === 'ConditionalRequestConflict' ||
  httpStatus(error) === 409;

/** CopySource is "<bucket>/<key>" with the key URL-encoded segment by segment. */
const copySource = (bucket: string, key: string): string =>
  `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

export class S3ObjectStore implements ObjectStore {
  private readonly partBytes: number;

  /** options.partBytes: the multipart part size of streamed bodies (tests make it small) */
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    options: { readonly partBytes?: number } = {},
  ) {
    this.partBytes = options.partBytes ?? PART_BYTES;
  }

  async get(key: string): Promise<Uint8Array | null> {
    assertObjectKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body === undefined ? new Uint8Array() : await out.Body.transformToByteArray();
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async *getStream(key: string): AsyncIterable<Uint8Array> {
    assertObjectKey(key);
    let body: AsyncIterable<Uint8Array> | undefined;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      // In Node the body is an IncomingMessage: a readable stream of Buffers (Uint8Arrays).
      body = out.Body as AsyncIterable<Uint8Array> | undefined;
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFound(key);
      throw error;
    }
    if (body !== undefined) yield* body;
  }

  async put(key: string, body: ObjectBody): Promise<void> {
    assertObjectKey(key);
    // a streamed body (a landing's group manifest) goes up in parts, never gathered whole
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
      await putStreamed(this.client, this.bucket, key, body, this.partBytes);
      return;
    }
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
  }

  async putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
    assertObjectKey(key);
    try {
      // S3 conditional write: 412 PreconditionFailed when the key exists.
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, IfNoneMatch: '*' }),
      );
      return true;
    } catch (error) {
      if (isLostRace(error)) return false;
      throw error;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    assertObjectPrefix(prefix);
    const found: ObjectInfo[] = [];
    const pages = paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.bucket, ...(prefix === '' ? {} : { Prefix: prefix }) },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) found.push({ key: object.Key, size: object.Size ?? 0 });
      }
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    assertObjectKey(fromKey);
    assertObjectKey(toKey);
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: toKey,
          CopySource: copySource(this.bucket, fromKey),
        }),
      );
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFound(fromKey);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
