// Bounded retries with exponential backoff and full jitter (sleep a random time in
// [0, min(cap, base * 2^attempt)]), so clients that failed together do not retry together.
export interface BackoffOptions {
  /** total attempts, the first included */
  readonly attempts: number;
  readonly baseMs: number;
  readonly capMs: number;
  readonly retryOn: (error: unknown) => boolean;
  /** injectable for tests */
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
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
