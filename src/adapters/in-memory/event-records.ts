// What every EventStore adapter builds the same way: the conflict it reports, and the recorded
// form of appended events (version and id follow from the expected version; the position is the
// store's own: a counter, an autoincrement key).
import { recordedEventId, type PipelineEvent, type RecordedEvent } from '../../domain/events.js';
import type { ConcurrencyConflict } from '../../ports/event-store.port.js';

export const concurrencyConflict = (
  streamId: string,
  expectedVersion: number,
  actualVersion: number,
): ConcurrencyConflict => ({
  _tag: 'ConcurrencyConflict',
  streamId,
  expectedVersion,
  actualVersion,
});

/** `positionOf` is called once per event, in order (SQLite writes the row there to learn it). */
export const recordAppend = (
  streamId: string,
  events: readonly PipelineEvent[],
  expectedVersion: number,
  occurredAt: string,
  positionOf: (event: PipelineEvent, version: number, index: number) => number,
): RecordedEvent[] =>
  events.map((event, i): RecordedEvent => {
    const version = expectedVersion + i + 1;
    return {
      ...event,
      id: recordedEventId(streamId, version),
      streamId,
      version,
      position: positionOf(event, version, i),
      occurredAt,
    };
  });
