// SQS in front of a function, as the event source mapping drives it: batches of up to
// `batchSize`, a message reported in batchItemFailures (or a whole batch whose invocation
// threw) comes back, and after 5 receives it goes to the dead-letter queue.
import { sqsRecord } from '../lambda-harness.js';
import type { BundledFunction } from './bundled-function.js';

const MAX_RECEIVES = 5;

export interface SqsQueue {
  readonly messages: string[];
  readonly deadLetters: string[];
  /** how often each message was handed back by the function */
  readonly receives: Map<string, number>;
  drain(fn: BundledFunction): Promise<void>;
}

export const sqsQueue = (batchSize: number, deadLetters: string[]): SqsQueue => {
  const messages: string[] = [];
  const receives = new Map<string, number>();
  let n = 0;
  const drain = async (fn: BundledFunction) => {
    while (messages.length > 0) {
      const bodies = messages.splice(0, batchSize);
      const records = bodies.map((body) => sqsRecord(body, `m-${++n}`));
      let failed: string[];
      try {
        const response = (await fn.invoke({ Records: records })) as {
          batchItemFailures?: { itemIdentifier: string }[];
        } | null;
        const ids = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        failed = records.filter((r) => ids.has(r.messageId)).map((r) => r.body);
      } catch {
        failed = bodies; // the whole batch failed
      }
      for (const body of failed) {
        const count = (receives.get(body) ?? 0) + 1;
        receives.set(body, count);
        (count >= MAX_RECEIVES ? deadLetters : messages).push(body);
      }
    }
  };
  return { messages, deadLetters, receives, drain };
};
