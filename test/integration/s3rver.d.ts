// s3rver ships no types: the part of its API the tests use.
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  import type { EventEmitter } from 'node:events';
  import type { Readable } from 'node:stream';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    configureBuckets?: ReadonlyArray<{ name: string; configs?: ReadonlyArray<string | Buffer> }>;
  }

  /** the slice of Koa's context the conditional-put shim uses */
  export interface KoaContext {
    method: string;
    path: string;
    status: number;
    type: string;
    body: unknown;
    get(header: string): string;
    app: { store: { existsObject(bucket: string, key: string): Promise<boolean> } };
  }

  /** an object as s3rver's store receives it (the body still a stream, or a Buffer) */
  export interface S3rverObject {
    readonly bucket: string;
    readonly key: string;
    readonly content: Readable | Buffer;
    readonly metadata: Record<string, string>;
  }

  /** the slice of s3rver's file-system store the write shim replaces or calls */
  export interface S3rverStore {
    getResourcePath(bucket: string, key: string, resource: string): string;
    putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
    putObject(object: S3rverObject): Promise<{ size: number; md5: string }>;
  }

  export default class S3rver extends EventEmitter {
    store: S3rverStore;
    middleware: Array<(ctx: KoaContext, next: () => Promise<void>) => Promise<void>>;
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
