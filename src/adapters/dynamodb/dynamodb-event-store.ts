// EventStore on DynamoDB. One item per event, keyed (stream_id, version). An append is one
// TransactWriteItems call that
//   - checks the stream's head is exactly expectedVersion (the item at that version exists, the
//     one after it does not), so of racing appends to one stream exactly one wins;
//   - advances the log counter item ($all, 0) from the value it read, conditionally, and writes a
//     copy of each event at ($all, position), which gives readAll a strongly consistent global
//     order without a GSI (GSIs are eventually consistent and could show gaps).
// Every append thus serialises on the counter item: fine for a pipeline that appends a few events
// per landed file, and a lost counter race is retried, never reported as a stream conflict.
import { TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeEvent } from '../../domain/events.codec.js';
import type { PipelineEvent, RecordedEvent } from '../../domain/events.js';
import { recordedEventId } from '../../domain/events.js';
import type { ConcurrencyConflict, EventStore } from '../../ports/event-store.port.js';
import { withBackoff } from './backoff.js';
import { concurrencyConflict, recordAppend } from '../in-memory/event-records.js';

const LOG = '$all';
/** two items per event plus the counter, within TransactWriteItems' limit of 100 */
export const MAX_EVENTS_PER_APPEND = 49;

interface EventItem {
  readonly stream_id: string;
  readonly version: number;
  readonly position: number;
  readonly event_stream: string;
  readonly event_version: number;
  readonly type: string;
  readonly data: string;
  readonly occurred_at: string;
}

/** Decoded with the events codec: a malformed item fails loudly instead of reaching a decider. */
const toRecorded = (item: Record<string, unknown>): RecordedEvent => {
  const i = item as unknown as EventItem;
  const decoded = decodeEvent({
    type: i.type,
    data: JSON.parse(i.data) as unknown,
    id: recordedEventId(i.event_stream, i.event_version),
    streamId: i.event_stream,
    version: i.event_version,
    position: i.position,
    occurredAt: i.occurred_at,
  });
  if (isLeft(decoded)) {
    throw new Error(`event ${i.event_stream}:${i.event_version} is malformed: ${decoded.left}`);
  }
  return decoded.right;
};

class CounterMoved extends Error {
  constructor() {
    super('the event log counter kept moving: too many concurrent appends');
  }
}

export class DynamoDbEventStore implements EventStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async append(
    streamId: string,
    events: readonly PipelineEvent[],
    expectedVersion: number,
    occurredAt: string,
  ): Promise<Either<ConcurrencyConflict, RecordedEvent[]>> {
    if (streamId.startsWith('$')) throw new Error(`stream ids starting with '$' are reserved`);
    if (events.length > MAX_EVENTS_PER_APPEND) {
      throw new Error(`at most ${MAX_EVENTS_PER_APPEND} events per append (${events.length})`);
    }
    if (events.length === 0) {
      const actual = await this.headVersion(streamId);
      return actual === expectedVersion
        ? right([])
        : left(concurrencyConflict(streamId, expectedVersion, actual));
    }
    // Retried only when another append moved the log counter between our read and our write.
    return withBackoff(
      { attempts: 30, baseMs: 5, capMs: 200, retryOn: (e) => e instanceof CounterMoved },
      () => this.tryAppend(streamId, events, expectedVersion, occurredAt),
    );
  }

  private async tryAppend(
    streamId: string,
    events: readonly PipelineEvent[],
    expectedVersion: number,
    occurredAt: string,
  ): Promise<Either<ConcurrencyConflict, RecordedEvent[]>> {
    const counter = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { stream_id: LOG, version: 0 },
        ConsistentRead: true,
      }),
    );
    const last = (counter.Item?.['last_position'] as number | undefined) ?? 0;
    const recorded = recordAppend(
      streamId,
      events,
      expectedVersion,
      occurredAt,
      (_e, _v, i) => last + 1 + i,
    );
    const itemOf = (r: RecordedEvent, key: { stream_id: string; version: number }): EventItem => ({
      ...key,
      position: r.position,
      event_stream: r.streamId,
      event_version: r.version,
      type: r.type,
      data: JSON.stringify(r.data),
      occurred_at: occurredAt,
    });
    const headCheck =
      expectedVersion === 0
        ? []
        : [
            {
              ConditionCheck: {
                TableName: this.table,
                Key: { stream_id: streamId, version: expectedVersion },
                ConditionExpression: 'attribute_exists(stream_id)',
              },
            },
          ];
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { stream_id: LOG, version: 0, last_position: last + recorded.length },
                ConditionExpression:
                  last === 0 ? 'attribute_not_exists(stream_id)' : 'last_position = :last',
                ...(last === 0 ? {} : { ExpressionAttributeValues: { ':last': last } }),
              },
            },
            ...headCheck,
            ...recorded.flatMap((r) => [
              {
                Put: {
                  TableName: this.table,
                  Item: itemOf(r, { stream_id: streamId, version: r.version }),
                  ConditionExpression: 'attribute_not_exists(stream_id)',
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: itemOf(r, { stream_id: LOG, version: r.position }),
                },
              },
            ]),
          ],
        }),
      );
      return right(recorded);
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      // index 0 is the counter; the rest guard the stream's head
      if (reasons.slice(1).includes('ConditionalCheckFailed')) {
        const actual = await this.headVersion(streamId);
        if (actual !== expectedVersion)
          return left(concurrencyConflict(streamId, expectedVersion, actual));
      }
      if (
        reasons.every(
          (r) => r === 'None' || r === 'ConditionalCheckFailed' || r === 'TransactionConflict',
        )
      ) {
        throw new CounterMoved();
      }
      throw error;
    }
  }

  private async headVersion(streamId: string): Promise<number> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'stream_id = :s',
        ExpressionAttributeValues: { ':s': streamId },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
        ProjectionExpression: 'version',
      }),
    );
    return (out.Items?.[0]?.['version'] as number | undefined) ?? 0;
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.query({
      KeyConditionExpression: 'stream_id = :s',
      ExpressionAttributeValues: { ':s': streamId },
    });
  }

  async readAll(after: number, limit?: number): Promise<RecordedEvent[]> {
    return this.query(
      {
        KeyConditionExpression: 'stream_id = :s AND version > :after',
        ExpressionAttributeValues: { ':s': LOG, ':after': after },
      },
      limit,
    );
  }

  private async query(
    input: Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'>,
    limit?: number,
  ): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          ...input,
          ConsistentRead: true,
          ...(limit === undefined ? {} : { Limit: limit - found.length }),
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      found.push(...(page.Items ?? []).map(toRecorded));
      start = page.LastEvaluatedKey;
    } while (start !== undefined && (limit === undefined || found.length < limit));
    return found;
  }
}
