// The event log in memory: per-stream versions for optimistic concurrency, one global order.
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { PipelineEvent, RecordedEvent } from '../../domain/events.js';
import type { ConcurrencyConflict, EventStore } from '../../ports/event-store.port.js';
import { concurrencyConflict, recordAppend } from './event-records.js';

export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, RecordedEvent[]>();
  /** position n is log[n - 1] */
  private readonly log: RecordedEvent[] = [];

  async append(
    streamId: string,
    events: readonly PipelineEvent[],
    expectedVersion: number,
    occurredAt: string,
  ): Promise<Either<ConcurrencyConflict, RecordedEvent[]>> {
    const stream = this.streams.get(streamId) ?? [];
    if (stream.length !== expectedVersion) {
      return left(concurrencyConflict(streamId, expectedVersion, stream.length));
    }
    const recorded = recordAppend(
      streamId,
      events,
      expectedVersion,
      occurredAt,
      (_e, _v, i) => this.log.length + i + 1,
    );
    this.streams.set(streamId, [...stream, ...recorded]);
    this.log.push(...recorded);
    return right(recorded);
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return [...(this.streams.get(streamId) ?? [])];
  }

  async readAll(after: number, limit = Number.MAX_SAFE_INTEGER): Promise<RecordedEvent[]> {
    const start = Math.max(0, after);
    return this.log.slice(start, start + limit);
  }
}
