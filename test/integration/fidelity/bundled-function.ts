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
  /** the execution environment dies (its invocations fail); the next invoke starts a new one */
  kill(): void;
  close(): Promise<void>;
}

interface Instance {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;
}

type Reply = { id: number; result?: unknown; error?: { name: string; message: string } };

export const startBundledFunction = (
  name: string,
  bundle: string,
  env: Record<string, string>,
): BundledFunction => {
  const output: string[] = [];
  const spawn = (): Instance => {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      env,
      workerData: { bundle: pathToFileURL(bundle).href, name },
      stdout: true,
      stderr: true,
    });
    const pending: Instance['pending'] = new Map();
    worker.stdout.on('data', (chunk: Buffer) => output.push(String(chunk)));
    worker.stderr.on('data', (chunk: Buffer) => output.push(String(chunk)));
    worker.on('message', (m: Reply) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error === undefined) p?.resolve(m.result);
      else p?.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
    });
    const fail = (error: Error) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    };
    worker.on('error', fail);
    // as Lambda reports an environment that died mid-invocation
    worker.on('exit', (code) => fail(new Error(`Runtime exited with error: exit status ${code}`)));
    return { worker, pending };
  };
  let current: Instance | undefined;
  let next = 0;
  return {
    output,
    invoke: (event) => {
      const instance = (current ??= spawn());
      return new Promise((resolve, reject) => {
        const id = ++next;
        instance.pending.set(id, { resolve, reject });
        instance.worker.postMessage({ id, event });
      });
    },
    kill: () => {
      void current?.worker.terminate();
      current = undefined;
    },
    close: async () => {
      await current?.worker.terminate();
      current = undefined;
    },
  };
};
