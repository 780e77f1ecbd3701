// The event log in memory: per-stream versions for optimistic concurrency, one global order.
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { recordedEventId, type PipelineEvent, type RecordedEvent } from '../../domain/events.js';
import type { ConcurrencyConflict, EventStore } from '../../ports/event-store.port.js';

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
      return left({
        _tag: 'ConcurrencyConflict',
        streamId,
        expectedVersion,
        actualVersion: stream.length,
      });
    }
    const recorded = events.map((event, i): RecordedEvent => {
      const version = expectedVersion + i + 1;
      return {
        ...event,
        id: recordedEventId(streamId, version),
        streamId,
        version,
        position: this.log.length + i + 1,
        occurredAt,
      };
    });
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
