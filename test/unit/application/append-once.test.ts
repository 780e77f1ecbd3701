// appendOnce under the failures AWS has: the publish after the append fails (PutEvents down) or
// never happens (the Lambda dies), and the message is delivered again. The redelivery must
// publish the stored event, or the group never starts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryEventBus } from '../../../src/adapters/in-memory/in-memory-event-bus.js';
import { InMemoryEventStore } from '../../../src/adapters/in-memory/in-memory-event-store.js';
import { appendOnce } from '../../../src/application/event-log.js';
import type { PipelineEvent, RecordedEvent } from '../../../src/domain/events.js';
import type { EventBus } from '../../../src/ports/event-bus.port.js';

const completed: PipelineEvent = {
  type: 'GroupCompleted',
  data: { groupId: 'g1', fileKey: 'incoming/o.csv', orderCount: 1, manifestKey: 'groups/g1/m' },
};
const AT = '2025-04-01T00:00:00.000Z';

/** a bus whose first `failures` publishes throw, as PutEvents does when EventBridge is down */
const flakyBus = (failures: number) => {
  const delivered: RecordedEvent[] = [];
  let left = failures;
  const bus: EventBus = {
    publish: async (events) => {
      if (left-- > 0) throw new Error('PutEvents: ServiceUnavailable');
      delivered.push(...events);
    },
    subscribe: () => () => {},
  };
  return { bus, delivered };
};

describe('appendOnce', () => {
  it('publishes the stored event on the redelivery after a failed publish', async () => {
    const store = new InMemoryEventStore();
    const { bus, delivered } = flakyBus(1);
    await expect(appendOnce(store, bus, 'group-g1', completed, AT)).rejects.toThrow(/PutEvents/);
    expect(delivered).toEqual([]);
    // SQS redelivers the message: the append conflicts, the stored event goes out
    expect(await appendOnce(store, bus, 'group-g1', completed, AT)).toEqual([]);
    expect(delivered.map((e) => [e.type, e.streamId, e.version])).toEqual([
      ['GroupCompleted', 'group-g1', 1],
    ]);
    expect(await store.readStream('group-g1')).toHaveLength(1);
  });

  it('publishes it when the process died between append and publish', async () => {
    const store = new InMemoryEventStore();
    // the "dead" attempt: the append happened, nothing was published
    await store.append('group-g1', [completed], 0, AT);
    const bus = new InMemoryEventBus();
    const seen: RecordedEvent[] = [];
    bus.subscribe(async (e) => void seen.push(e));
    await appendOnce(store, bus, 'group-g1', completed, AT);
    expect(seen.map((e) => e.type)).toEqual(['GroupCompleted']);
  });

  it('every delivery of the same event carries the one stored id (consumers drop repeats)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        async (failures, deliveries) => {
          const store = new InMemoryEventStore();
          const { bus, delivered } = flakyBus(failures);
          for (let i = 0; i < failures + deliveries; i++) {
            await appendOnce(store, bus, 'group-g1', completed, AT).catch(() => []);
          }
          expect(delivered.length).toBeGreaterThanOrEqual(1);
          expect(new Set(delivered.map((e) => e.id)).size).toBe(1);
          expect(await store.readStream('group-g1')).toHaveLength(1);
        },
      ),
      { numRuns: 30 },
    );
  });
});
