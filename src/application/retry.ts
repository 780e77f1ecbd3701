// I/O faults are retried (at most 3 attempts, exponential backoff with full jitter); data errors
// are never thrown (they are Either lefts), so everything that reaches here counts as I/O.
export interface RetryOptions {
  readonly attempts?: number;
  readonly baseMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** errors that must not be retried (e.g. programming errors) */
  readonly retryable?: (error: unknown) => boolean;
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

export const retryIo = async <T>(
  action: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> => {
  const attempts = options.attempts ?? 3;
  const baseMs = options.baseMs ?? 100;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const retryable = options.retryable ?? (() => true);
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      // full jitter: a random pause up to the exponential ceiling
      await sleep(Math.floor(random() * baseMs * 2 ** (attempt - 1)));
    }
  }
};
