// A stand-in for the SDK's HTTP layer (there is no local EventBridge or Step Functions): requests
// are serialised and responses parsed by the real client code; only the network is replaced.
import { Readable } from 'node:stream';

/** the part of the SDK's HttpRequest the stub reads */
interface SdkRequest {
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

export interface StubRequest {
  /** e.g. 'AWSEvents.PutEvents', 'AWSStepFunctions.StartExecution' */
  readonly target: string;
  readonly body: Record<string, unknown>;
}

export interface StubAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export const stubHttp = (answer: (request: StubRequest, index: number) => StubAnswer) => {
  const requests: StubRequest[] = [];
  const requestHandler = {
    handle: async (request: SdkRequest) => {
      const stub: StubRequest = {
        target: String(request.headers['x-amz-target'] ?? ''),
        body: JSON.parse(String(request.body)) as Record<string, unknown>,
      };
      requests.push(stub);
      const { status, body } = answer(stub, requests.length - 1);
      return {
        response: {
          statusCode: status,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: Readable.from([Buffer.from(JSON.stringify(body))]),
        },
      };
    },
  };
  return { requestHandler, requests };
};

export const STUB_CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'stub', secretAccessKey: 'stub' },
  maxAttempts: 1,
} as const;
