// EventBridgeEventBus against a stubbed HTTP layer (no local EventBridge exists): batching,
// size checks, and partial failures where only the failed entries are sent again.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import {
  EventBridgeEventBus,
  EventTooLarge,
  PublishFailed,
} from '../../src/adapters/eventbridge/eventbridge-event-bus.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import { STUB_CLIENT_CONFIG, stubHttp, type StubRequest } from './stub-http.js';

const event = (n: number, padding = 0): RecordedEvent => ({
  type: 'Transformed',
  data: { groupId: `g${n}`, facts: n, dates: ['x'.repeat(padding)] },
  id: `group-g${n}:2`,
  streamId: `group-g${n}`,
  version: 2,
  position: n,
  occurredAt: '2026-01-01T00:00:00.000Z',
});

type Entry = { Source: string; DetailType: string; Detail: string; EventBusName: string };
const entriesOf = (r: StubRequest): Entry[] => r.body['Entries'] as Entry[];
const idsOf = (r: StubRequest): string[] =>
  entriesOf(r).map((e) => (JSON.parse(e.Detail) as { id: string }).id);

const busWith = (answer: Parameters<typeof stubHttp>[0], attempts = 4) => {
  const stub = stubHttp(answer);
  const client = new EventBridgeClient({
    ...STUB_CLIENT_CONFIG,
    requestHandler: stub.requestHandler,
  });
  const delays: number[] = [];
  const bus = new EventBridgeEventBus(client, 'pipeline-bus', {
    attempts,
    baseMs: 10,
    capMs: 100,
    random: () => 0.5,
    sleep: async (ms) => void delays.push(ms),
  });
  return { bus, requests: stub.requests, delays };
};

const allOk = (r: StubRequest) => ({
  status: 200,
  body: { FailedEntryCount: 0, Entries: entriesOf(r).map((_, i) => ({ EventId: `e${i}` })) },
});

describe('EventBridgeEventBus (stubbed HTTP)', () => {
  it('sends at most 10 entries a call, each with source, type, bus and the stable id in Detail', async () => {
    const { bus, requests } = busWith(allOk);
    const events = Array.from({ length: 23 }, (_, i) => event(i));
    await bus.publish(events);
    expect(requests.map((r) => r.target)).toEqual(Array(3).fill('AWSEvents.PutEvents'));
    expect(requests.map((r) => entriesOf(r).length)).toEqual([10, 10, 3]);
    expect(requests.flatMap(idsOf)).toEqual(events.map((e) => e.id));
    expect(entriesOf(requests[0]!)[0]).toMatchObject({
      Source: 'shop-pipeline',
      DetailType: 'Transformed',
      EventBusName: 'pipeline-bus',
    });
    expect(JSON.parse(entriesOf(requests[0]!)[0]!.Detail)).toEqual(events[0]);
  });

  it('resends only the entries that failed, unchanged, after a backoff', async () => {
    const { bus, requests, delays } = busWith((r, index) => {
      if (index > 0) return allOk(r);
      const entries = entriesOf(r).map((_, i) =>
        i === 2 || i === 7
          ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }
          : { EventId: `e${i}` },
      );
      return { status: 200, body: { FailedEntryCount: 2, Entries: entries } };
    });
    const events = Array.from({ length: 10 }, (_, i) => event(i));
    await bus.publish(events);
    expect(requests).toHaveLength(2);
    expect(idsOf(requests[1]!)).toEqual([events[2]!.id, events[7]!.id]);
    expect(entriesOf(requests[1]!)).toEqual([
      entriesOf(requests[0]!)[2],
      entriesOf(requests[0]!)[7],
    ]);
    expect(delays).toEqual([5]);
  });

  it('gives up after the bounded attempts and names the events that were not published', async () => {
    const { bus, requests } = busWith(
      (r) => ({
        status: 200,
        body: {
          FailedEntryCount: 1,
          Entries: entriesOf(r).map((_, i) =>
            i === 0 ? { ErrorCode: 'InternalFailure' } : { EventId: 'ok' },
          ),
        },
      }),
      3,
    );
    const failure = await bus.publish([event(1), event(2)]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PublishFailed);
    expect(failure).toMatchObject({
      failures: [{ id: 'group-g1:2', errorCode: 'InternalFailure' }],
    });
    expect(requests.map((r) => idsOf(r))).toEqual([
      ['group-g1:2', 'group-g2:2'],
      ['group-g1:2'],
      ['group-g1:2'],
    ]);
  });

  it('checks sizes before sending: refuses an entry over 256 KB, splits calls to stay under it', async () => {
    const big = busWith(allOk);
    await expect(big.bus.publish([event(1), event(2, 300_000)])).rejects.toBeInstanceOf(
      EventTooLarge,
    );
    expect(big.requests).toHaveLength(0);
    const split = busWith(allOk);
    await split.bus.publish([event(1, 100_000), event(2, 100_000), event(3, 100_000)]);
    expect(split.requests.map((r) => entriesOf(r).length)).toEqual([2, 1]);
  });

  it('refuses in-process subscriptions with a clear error', () => {
    const { bus } = busWith(allOk);
    expect(() => bus.subscribe(async () => {})).toThrow(/EventBridge rules/);
  });
});
