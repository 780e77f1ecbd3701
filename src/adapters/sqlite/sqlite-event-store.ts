// The event log in SQLite: positions from an AUTOINCREMENT key (never reused), and
// UNIQUE(stream_id, version) as the last line of optimistic concurrency between processes.
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { recordedEventId, type PipelineEvent, type RecordedEvent } from '../../domain/events.js';
import type { ConcurrencyConflict, EventStore } from '../../ports/event-store.port.js';
import type { SqliteDb } from './sqlite-database.js';
import { concurrencyConflict, recordAppend } from '../in-memory/event-records.js';

interface EventRow {
  position: number;
  stream_id: string;
  version: number;
  type: string;
  data: string;
  occurred_at: string;
}

const toRecorded = (r: EventRow): RecordedEvent =>
  ({
    type: r.type,
    data: JSON.parse(r.data) as unknown,
    id: recordedEventId(r.stream_id, r.version),
    streamId: r.stream_id,
    version: r.version,
    position: r.position,
    occurredAt: r.occurred_at,
  }) as RecordedEvent;

export class SqliteEventStore implements EventStore {
  private readonly versionOf;
  private readonly insert;
  private readonly byStream;
  private readonly after;
  private readonly appendTx;

  constructor(db: SqliteDb) {
    this.versionOf = db.prepare<[string], { v: number }>(
      'SELECT COALESCE(MAX(version), 0) AS v FROM events WHERE stream_id = ?',
    );
    this.insert = db.prepare<[string, number, string, string, string]>(
      'INSERT INTO events (stream_id, version, type, data, occurred_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.byStream = db.prepare<[string], EventRow>(
      'SELECT * FROM events WHERE stream_id = ? ORDER BY version',
    );
    this.after = db.prepare<[number, number], EventRow>(
      'SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?',
    );
    this.appendTx = db.transaction(
      (streamId: string, events: readonly PipelineEvent[], expected: number, at: string) => {
        const actual = this.versionOf.get(streamId)?.v ?? 0;
        if (actual !== expected) {
          return left<ConcurrencyConflict, RecordedEvent[]>(
            concurrencyConflict(streamId, expected, actual),
          );
        }
        const recorded = recordAppend(streamId, events, expected, at, (event, version) => {
          const info = this.insert.run(
            streamId,
            version,
            event.type,
            JSON.stringify(event.data),
            at,
          );
          return Number(info.lastInsertRowid);
        });
        return right<ConcurrencyConflict, RecordedEvent[]>(recorded);
      },
    );
  }

  async append(
    streamId: string,
    events: readonly PipelineEvent[],
    expectedVersion: number,
    occurredAt: string,
  ): Promise<Either<ConcurrencyConflict, RecordedEvent[]>> {
    return this.appendTx.immediate(streamId, events, expectedVersion, occurredAt);
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.byStream.all(streamId).map(toRecorded);
  }

  async readAll(after: number, limit = -1): Promise<RecordedEvent[]> {
    // LIMIT -1 is SQLite for "no limit"
    return this.after.all(after, limit).map(toRecorded);
  }
}
