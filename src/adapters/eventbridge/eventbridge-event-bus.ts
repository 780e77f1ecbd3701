// EventBus on Amazon EventBridge. Each recorded event is one entry: Source 'shop-pipeline',
// DetailType the event type, Detail the whole RecordedEvent (its stable `id` lets consumers
// drop redeliveries). PutEvents takes at most 10 entries and 256 KB a call, and reports failures
// per entry: only the failed entries are sent again, with backoff, a bounded number of times.
import {
  PutEventsCommand,
  type EventBridgeClient,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { RecordedEvent } from '../../domain/events.js';
import type { EventBus, EventHandler } from '../../ports/event-bus.port.js';
import { retryLeftovers, type RetryPolicy } from '../dynamodb/backoff.js';

export const EVENT_SOURCE = 'shop-pipeline';
export const MAX_ENTRIES_PER_CALL = 10;
/** EventBridge's limit for one entry, and for all entries of one call */
export const MAX_BYTES = 256 * 1024;

/** Size as EventBridge counts it: the UTF-8 bytes of source, detail type and detail. */
export const entrySize = (entry: PutEventsRequestEntry): number =>
  [entry.Source, entry.DetailType, entry.Detail].reduce(
    (n, s) => n + (s === undefined ? 0 : Buffer.byteLength(s, 'utf8')),
    0,
  );

export class EventTooLarge extends Error {
  constructor(
    readonly eventId: string,
    readonly bytes: number,
  ) {
    super(`event ${eventId} is ${bytes} bytes; EventBridge takes at most ${MAX_BYTES} per entry`);
    this.name = 'EventTooLarge';
  }
}

export class PublishFailed extends Error {
  constructor(readonly failures: ReadonlyArray<{ id: string; errorCode: string }>) {
    super(
      `${failures.length} event(s) not published: ` +
        failures.map((f) => `${f.id} (${f.errorCode})`).join(', '),
    );
    this.name = 'PublishFailed';
  }
}

interface Pending {
  readonly id: string;
  readonly entry: PutEventsRequestEntry;
  readonly bytes: number;
}

/** Consecutive groups of at most 10 entries and 256 KB. */
const calls = (pending: readonly Pending[]): Pending[][] => {
  const out: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const p of pending) {
    if (current.length === MAX_ENTRIES_PER_CALL || bytes + p.bytes > MAX_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += p.bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
};

export class EventBridgeEventBus implements EventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly retry: RetryPolicy = { attempts: 5, baseMs: 100, capMs: 3000 },
  ) {}

  async publish(events: readonly RecordedEvent[]): Promise<void> {
    const pending: Pending[] = events.map((e) => {
      const entry: PutEventsRequestEntry = {
        EventBusName: this.busName,
        Source: EVENT_SOURCE,
        DetailType: e.type,
        Detail: JSON.stringify(e),
      };
      return { id: e.id, entry, bytes: entrySize(entry) };
    });
    const tooLarge = pending.find((p) => p.bytes > MAX_BYTES);
    if (tooLarge !== undefined) throw new EventTooLarge(tooLarge.id, tooLarge.bytes);
    let failures: Array<{ id: string; errorCode: string }> = [];
    await retryLeftovers(
      this.retry,
      pending,
      (left) => left.length,
      async (left) => {
        const failed: Pending[] = [];
        failures = [];
        for (const call of calls(left)) {
          const out = await this.client.send(
            new PutEventsCommand({ Entries: call.map((p) => p.entry) }),
          );
          if ((out.FailedEntryCount ?? 0) === 0) continue;
          // result entries are in request order; a failed one carries an ErrorCode
          call.forEach((p, i) => {
            const code = out.Entries?.[i]?.ErrorCode;
            if (code !== undefined && code !== null) {
              failed.push(p);
              failures.push({ id: p.id, errorCode: code });
            }
          });
        }
        return failed;
      },
      () => new PublishFailed(failures),
    );
  }

  subscribe(_handler: EventHandler): () => void {
    throw new Error(
      'EventBridgeEventBus has no in-process subscribers: consumers are wired by EventBridge ' +
        'rules (see infra/), e.g. GroupCompleted -> the events Lambda',
    );
  }
}
