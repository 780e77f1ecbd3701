// Appending to the log: decide on the stream's current state, append with its version as the
// expected version, publish what was appended. A lost race re-reads and decides again, so a
// repeated workflow step appends nothing (the decider returns no events for it).
import { isLeft, right, type Either } from 'fp-ts/lib/Either.js';
import type { GroupCompleted, PipelineEvent, RecordedEvent } from '../domain/events.js';
import { groupStreamId } from '../domain/events.js';
import {
  decide,
  initialState,
  replayGroup,
  type GroupCommand,
  type GroupError,
  type GroupState,
} from '../domain/group-lifecycle.decider.js';
import type { EventBus } from '../ports/event-bus.port.js';
import type { EventStore } from '../ports/event-store.port.js';

export const isoAt = (epochMs: number): string => new Date(epochMs).toISOString();

export const groupState = async (events: EventStore, groupId: string): Promise<GroupState> =>
  replayGroup(await events.readStream(groupStreamId(groupId)));

export const runGroupCommand = async (
  events: EventStore,
  bus: EventBus,
  command: GroupCommand,
  occurredAt: string,
): Promise<Either<GroupError, RecordedEvent[]>> => {
  const streamId = groupStreamId(command.data.groupId);
  for (let attempt = 0; attempt < 5; attempt++) {
    const stream = await events.readStream(streamId);
    const decided = decide(command, replayGroup(stream));
    if (isLeft(decided)) return decided;
    if (decided.right.length === 0) return right([]);
    const appended = await events.append(streamId, decided.right, stream.length, occurredAt);
    if (isLeft(appended)) continue;
    await bus.publish(appended.right);
    return right(appended.right);
  }
  throw new Error(`stream ${streamId} kept changing while appending ${command.type}`);
};

/**
 * Appends the first event of a stream that must be written once (a file's verdict, a group's
 * completion). Another writer having done it already counts as done: returns [] then.
 *
 * The stored event is published again in that case. The writer before may be this very
 * message's earlier attempt, whose publish failed or whose process died right after the append;
 * the redelivery is then the only chance the event gets, as nothing on AWS re-reads the log.
 * Publishing twice is harmless: the event keeps its id (consumers drop repeats) and a
 * GroupCompleted starts the execution named after the group, which exists at most once.
 */
export const appendOnce = async (
  events: EventStore,
  bus: EventBus,
  streamId: string,
  event: PipelineEvent,
  occurredAt: string,
  /** the stream's length when the caller read it (a file re-judged after a rejection) */
  expectedVersion = 0,
): Promise<RecordedEvent[]> => {
  const appended = await events.append(streamId, [event], expectedVersion, occurredAt);
  if (isLeft(appended)) {
    const stored = (await events.readStream(streamId))[expectedVersion];
    if (stored !== undefined && stored.type === event.type) await bus.publish([stored]);
    return [];
  }
  await bus.publish(appended.right);
  return appended.right;
};

/**
 * Forms a group: the lifecycle decider decides CompleteGroup on the new stream's initial state
 * (a group id is unique per completion, so its stream starts empty), and appendOnce's expected
 * version 0 is that same "only from initial" rule held by the store against a racing re-run.
 */
export const completeGroup = async (
  events: EventStore,
  bus: EventBus,
  data: GroupCompleted['data'],
  occurredAt: string,
): Promise<RecordedEvent[]> => {
  const decided = decide({ type: 'CompleteGroup', data }, initialState());
  if (isLeft(decided)) throw new Error(groupErrorMessage(decided.left));
  const [completed] = decided.right;
  if (completed === undefined) return [];
  return appendOnce(events, bus, groupStreamId(data.groupId), completed, occurredAt);
};

export const groupErrorMessage = (error: GroupError): string =>
  error._tag === 'GroupIdMismatch'
    ? `group id mismatch: stream holds ${error.expected}, command names ${error.actual}`
    : `${error.command} is not allowed when the group is ${error.from}`;
