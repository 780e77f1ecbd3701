// Append-only log of pipeline events, one stream per file, group, etc.
import type { Either } from 'fp-ts/lib/Either.js';
import type { PipelineEvent, RecordedEvent } from '../domain/events.js';

export interface ConcurrencyConflict {
  readonly _tag: 'ConcurrencyConflict';
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly actualVersion: number;
}

export interface EventStore {
  /**
   * Appends events to a stream whose current version must equal expectedVersion
   * (0 for a stream that does not exist yet). All or nothing.
   */
  append(
    streamId: string,
    events: readonly PipelineEvent[],
    expectedVersion: number,
    occurredAt: string,
  ): Promise<Either<ConcurrencyConflict, RecordedEvent[]>>;
  /** the stream's events in version order; [] when it does not exist */
  readStream(streamId: string): Promise<RecordedEvent[]>;
  /** events of every stream with position > after, in position order */
  readAll(after: number, limit?: number): Promise<RecordedEvent[]>;
}

export const EVENT_STORE = Symbol.for('EventStore');
