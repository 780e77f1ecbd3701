// Bounded retries with exponential backoff and full jitter (sleep a random time in
// [0, min(cap, base * 2^attempt)]), so clients that failed together do not retry together.
export interface RetryPolicy {
  /** total attempts, the first included */
  readonly attempts: number;
  readonly baseMs: number;
  readonly capMs: number;
  /** injectable for tests */
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface BackoffOptions extends RetryPolicy {
  readonly retryOn: (error: unknown) => boolean;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const fullJitterDelay = (
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number,
): number => Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));

export const withBackoff = async <A>(
  options: BackoffOptions,
  run: () => Promise<A>,
): Promise<A> => {
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt + 1 >= options.attempts || !options.retryOn(error)) throw error;
      await sleep(fullJitterDelay(attempt, options.baseMs, options.capMs, random));
    }
  }
};

/**
 * For batch APIs that hand back what they did not process (DynamoDB batches, EventBridge
 * PutEvents): `send` returns what is still pending, which is sent again after a backoff until
 * nothing is left; after `attempts` sends, the error `giveUp` makes is thrown.
 */
export const retryLeftovers = async <P>(
  policy: RetryPolicy,
  first: P,
  left: (pending: P) => number,
  send: (pending: P) => Promise<P>,
  giveUp: (pending: P, attempts: number) => Error,
): Promise<void> => {
  const random = policy.random ?? Math.random;
  const sleep = policy.sleep ?? defaultSleep;
  let pending = first;
  for (let attempt = 0; left(pending) > 0; attempt++) {
    if (attempt >= policy.attempts) throw giveUp(pending, attempt);
    if (attempt > 0) await sleep(fullJitterDelay(attempt - 1, policy.baseMs, policy.capMs, random));
    pending = await send(pending);
  }
};
