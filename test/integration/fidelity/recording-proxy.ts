// One principal's AWS endpoint in the test's world: every request is recorded as the (IAM
// action, resource) pairs it needs, may be answered by an injected fault, and is then sent on:
// S3 to s3rver and DynamoDB to DynamoDB Local (byte for byte, the signature's Host kept), and
// EventBridge and Step Functions to the world's emulation of those services (no local servers
// exist for them). Whatever SDK copy sends the request (a bundle's, or the source's), the
// recording is the same, because it happens on the wire.
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StubAnswer, StubRequest } from '../stub-http.js';
import { callsOf, s3OperationOf, type Call, type Names, type Service } from './recorded-calls.js';

/** a request as the fault hooks see it */
export interface WireRequest {
  readonly principal: string;
  readonly service: Service;
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
}

export interface WireAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RecordingProxyOptions {
  readonly principal: string;
  readonly names: Names;
  readonly calls: Call[];
  readonly s3Endpoint: string;
  readonly dynamoEndpoint: string;
  readonly emulate: (service: 'events' | 'states', request: StubRequest) => StubAnswer;
  readonly fault?: (request: WireRequest) => WireAnswer | undefined;
  /** after the request took effect: true kills the caller before it hears the answer */
  readonly dieAfter?: (request: WireRequest) => boolean;
  readonly onDie?: () => void;
}

const TARGETS: Array<[string, Service]> = [
  ['DynamoDB_20120810.', 'dynamodb'],
  ['AWSEvents.', 'events'],
  ['AWSStepFunctions.', 'states'],
];

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const forward = (endpoint: string, req: IncomingMessage, body: Buffer) =>
  new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>(
    (resolve, reject) => {
      const target = new URL(endpoint);
      const out = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (upstream) => {
          readBody(upstream).then(
            (b) =>
              resolve({ status: upstream.statusCode ?? 502, headers: upstream.headers, body: b }),
            reject,
          );
        },
      );
      out.on('error', reject);
      out.end(body);
    },
  );

export const startRecordingProxy = async (options: RecordingProxyOptions) => {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const match = TARGETS.find(([prefix]) => target.startsWith(prefix));
      const service: Service = match?.[1] ?? 's3';
      let wire: WireRequest;
      if (service === 's3') {
        const url = new URL(req.url ?? '/', 'http://proxy');
        const { operation, input } = s3OperationOf(req.method ?? 'GET', url, req.headers);
        wire = { principal: options.principal, service, operation, input };
      } else {
        const input = JSON.parse(body.length === 0 ? '{}' : String(body)) as Record<
          string,
          unknown
        >;
        wire = {
          principal: options.principal,
          service,
          operation: target.split('.')[1] ?? '',
          input,
        };
      }
      for (const [action, resource] of callsOf(
        service,
        wire.operation,
        wire.input,
        options.names,
      )) {
        options.calls.push({ principal: options.principal, action, resource });
      }
      const fault = options.fault?.(wire);
      if (fault !== undefined) {
        res.writeHead(
          fault.status,
          fault.headers ?? { 'content-type': 'application/x-amz-json-1.1' },
        );
        res.end(fault.body);
        return;
      }
      if (service === 'events' || service === 'states') {
        const answer = options.emulate(service, {
          target,
          body: wire.input as Record<string, unknown>,
        });
        res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(answer.body));
        return;
      }
      const upstream = await forward(
        service === 's3' ? options.s3Endpoint : options.dynamoEndpoint,
        req,
        body,
      );
      if (options.dieAfter?.(wire) === true) {
        options.onDie?.();
        res.destroy();
        return;
      }
      res.writeHead(upstream.status, upstream.headers);
      res.end(upstream.body);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};
