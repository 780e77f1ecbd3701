// A Lambda function run from its built bundle: the bundle is imported in a worker thread of its
// own, with the environment the synthesised template gives the function (plus the endpoints of
// the test's world), as Lambda imports index.mjs in an execution environment and calls
// `handler(event, context)`. The worker's process.env is its own, so each function reads its
// configuration exactly as in AWS, and its SDK clients are the bundle's copy of the SDK.
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

// The worker's bootstrap: import the bundle once, then answer each invocation with the
// handler's result or its error (name and message, as Lambda reports errorType/errorMessage).
const BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
const loaded = import(workerData.bundle);
parentPort.on('message', async ({ id, event }) => {
  const context = {
    functionName: workerData.name,
    functionVersion: '$LATEST',
    awsRequestId: 'req-' + id,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:' + workerData.name,
    memoryLimitInMB: '1024',
    logGroupName: '/aws/lambda/' + workerData.name,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 300000,
    done() {}, fail() {}, succeed() {},
  };
  try {
    const { handler } = await loaded;
    const result = await handler(event, context);
    parentPort.postMessage({ id, result: result === undefined ? null : result });
  } catch (error) {
    parentPort.postMessage({ id, error: { name: error?.name ?? 'Error', message: String(error?.message ?? error) } });
  }
});
`;

export interface BundledFunction {
  invoke(event: unknown): Promise<unknown>;
  /** what the function wrote to stdout/stderr (Powertools logs, EMF metrics) */
  readonly output: string[];
  close(): Promise<void>;
}

export const startBundledFunction = (
  name: string,
  bundle: string,
  env: Record<string, string>,
): BundledFunction => {
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    env,
    workerData: { bundle: pathToFileURL(bundle).href, name },
    stdout: true,
    stderr: true,
  });
  const output: string[] = [];
  worker.stdout.on('data', (chunk: Buffer) => output.push(String(chunk)));
  worker.stderr.on('data', (chunk: Buffer) => output.push(String(chunk)));
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  worker.on(
    'message',
    (m: { id: number; result?: unknown; error?: { name: string; message: string } }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined)
        p?.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
      else p?.resolve(m.result);
    },
  );
  worker.on('error', (error) => {
    failure = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  });
  let next = 0;
  return {
    output,
    invoke: (event) =>
      failure !== undefined
        ? Promise.reject(failure)
        : new Promise((resolve, reject) => {
            const id = ++next;
            pending.set(id, { resolve, reject });
            worker.postMessage({ id, event });
          }),
    close: async () => {
      await worker.terminate();
    },
  };
};
