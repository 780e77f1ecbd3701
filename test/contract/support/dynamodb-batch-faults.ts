// A DynamoDB client middleware for the batching tests: it records how many BatchWriteItem
// requests are in flight at once (the largest number seen), and lets a test decide, per request,
// to pass it through, to hold back half of it as UnprocessedItems (what DynamoDB does when a
// table is throttled), or to refuse it with ProvisionedThroughputExceededException. It sits in
// the initialize step, before the SDK's own retries and the document client's marshalling, so a
// refusal reaches the adapter's backoff and the requests are in their document form.
import {
  ProvisionedThroughputExceededException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

export type Fault = 'pass' | 'holdBackHalf' | 'throttle';

export interface BatchWriteProbe {
  /** BatchWriteItem requests sent so far (each retry counts) */
  readonly calls: number;
  /** how many write requests each BatchWriteItem carried, in the order they were sent */
  readonly sizes: readonly number[];
  /** the most BatchWriteItem requests seen in flight at once */
  readonly maxInFlight: number;
  /** requests held back or refused so far */
  readonly faults: number;
}

type Requests = Record<string, unknown[]>;

export const probeBatchWrites = (
  dynamo: DynamoDBClient,
  decide: (call: number) => Fault = () => 'pass',
): BatchWriteProbe => {
  const state = { calls: 0, inFlight: 0, maxInFlight: 0, faults: 0 };
  const sizes: number[] = [];
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand') return next(args);
      const fault = decide(state.calls++);
      const input = args.input as { RequestItems: Requests };
      sizes.push(Object.values(input.RequestItems).reduce((n, l) => n + l.length, 0));
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      try {
        if (fault === 'throttle') {
          state.faults++;
          // a real round trip's worth of waiting, so refused requests overlap the others too
          await new Promise((r) => setTimeout(r, 5));
          throw new ProvisionedThroughputExceededException({
            message: 'injected: the table is throttled',
            $metadata: { httpStatusCode: 400 },
          });
        }
        if (fault === 'pass') return await next(args);
        state.faults++;
        const kept: Requests = {};
        const held: Requests = {};
        for (const [table, requests] of Object.entries(input.RequestItems)) {
          const half = Math.ceil(requests.length / 2);
          kept[table] = requests.slice(0, half);
          if (requests.length > half) held[table] = requests.slice(half);
        }
        const result = await next({ ...args, input: { ...input, RequestItems: kept } });
        (result.output as { UnprocessedItems?: unknown }).UnprocessedItems = held;
        return result;
      } finally {
        state.inFlight--;
      }
    },
    { step: 'initialize', name: 'probeBatchWrites' },
  );
  return {
    get calls() {
      return state.calls;
    },
    sizes,
    get maxInFlight() {
      return state.maxInFlight;
    },
    get faults() {
      return state.faults;
    },
  };
};
