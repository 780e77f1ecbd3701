// The S3 client settings the adapters need, in one place.
import { S3Client } from '@aws-sdk/client-s3';

export interface AwsClientOptions {
  readonly region?: string;
  /** e.g. a local server's URL; unset in AWS */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export const createS3Client = (options: AwsClientOptions = {}): S3Client =>
  new S3Client({
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.endpoint === undefined
      ? {}
      : {
          endpoint: options.endpoint,
          // local servers have no virtual-host DNS for buckets
          forcePathStyle: true,
        }),
    // Checksums only where S3 requires them: with the default, streamed bodies are sent with
    // aws-chunked framing that S3-compatible servers (s3rver) store verbatim as the object.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
