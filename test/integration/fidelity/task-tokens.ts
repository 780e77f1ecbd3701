// Step Functions' side of `.waitForTaskToken`: a state waits for SendTaskSuccess/Failure with its
// token, and fails with States.HeartbeatTimeout when no SendTaskHeartbeat (or result) came for
// HeartbeatSeconds. aws-local-stepfunctions has no heartbeat timer, so the world keeps it here.
import type { TaskResult } from '../../../src/ports/task-runner.port.js';
import type { StubAnswer, StubRequest } from '../stub-http.js';

export const namedError = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name });

interface Waiter {
  resolve(result: TaskResult): void;
  reject(error: Error): void;
  beat(): void;
}

/** `heartbeatMs` 0: no heartbeat timer (the state's TimeoutSeconds still applies) */
export const taskTokens = (heartbeatMs: number) => {
  const waiters = new Map<string, Waiter>();

  /** what the state waits for: the token's result, or its heartbeat timeout */
  const waitForCallback = (token: string) =>
    new Promise<TaskResult>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const close = () => {
        clearTimeout(timer);
        waiters.delete(token);
      };
      const beat = () => {
        if (heartbeatMs === 0) return;
        clearTimeout(timer);
        timer = setTimeout(() => {
          close();
          reject(namedError('States.HeartbeatTimeout', `no heartbeat for ${heartbeatMs} ms`));
        }, heartbeatMs);
      };
      waiters.set(token, {
        resolve: (r) => (close(), resolve(r)),
        reject: (e) => (close(), reject(e)),
        beat,
      });
      beat();
    });

  /** SendTaskHeartbeat / SendTaskSuccess / SendTaskFailure, as the service answers them */
  const answer = (operation: string, request: StubRequest): StubAnswer => {
    const waiter = waiters.get(String(request.body['taskToken']));
    // a token whose state already timed out (or never existed)
    if (waiter === undefined) {
      return { status: 400, body: { __type: 'TaskTimedOut', message: 'Task Timed Out' } };
    }
    if (operation === 'SendTaskHeartbeat') waiter.beat();
    if (operation === 'SendTaskSuccess') {
      waiter.resolve(JSON.parse(String(request.body['output'])) as TaskResult);
    }
    if (operation === 'SendTaskFailure') {
      waiter.reject(namedError(String(request.body['error']), String(request.body['cause'])));
    }
    return { status: 200, body: {} };
  };

  return { waitForCallback, answer };
};

/** the Validate state's HeartbeatSeconds in the definition, in ms (0 when it has none) */
export const heartbeatMsOf = (definition: string): number => {
  const asl = JSON.parse(definition) as { States: Record<string, Record<string, unknown>> };
  return Number(asl.States['Validate']?.['HeartbeatSeconds'] ?? 0) * 1000;
};
