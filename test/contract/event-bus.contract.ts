// What an in-process EventBus adapter must do (publish awaits subscribers, in order).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/domain/events.js';
import type { EventBus } from '../../src/ports/event-bus.port.js';

export type EventBusFactory = () => Promise<{ port: EventBus; cleanup: () => Promise<void> }>;

const event = (n: number): RecordedEvent => ({
  type: 'Archived',
  data: { groupId: `g${n}`, files: [] },
  id: `group-g${n}:1`,
  streamId: `group-g${n}`,
  version: 1,
  position: n,
  occurredAt: '2024-01-01T00:00:00.000Z',
});

export function describeEventBusContract(adapterName: string, factory: EventBusFactory) {
  describe(`EventBus contract: ${adapterName}`, () => {
    let bus: EventBus;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ port: bus, cleanup } = await factory());
    });
    afterEach(async () => cleanup());

    it('delivers every event to every subscriber, events in order, subscribers in order', async () => {
      const seen: string[] = [];
      bus.subscribe(async (e) => void seen.push(`A${e.position}`));
      bus.subscribe(async (e) => void seen.push(`B${e.position}`));
      await bus.publish([event(1), event(2)]);
      expect(seen).toEqual(['A1', 'B1', 'A2', 'B2']);
    });

    it('resolves publish only after slow handlers finished', async () => {
      const seen: number[] = [];
      bus.subscribe(async (e) => {
        await new Promise((r) => setTimeout(r, 20));
        seen.push(e.position);
      });
      await bus.publish([event(1), event(2)]);
      expect(seen).toEqual([1, 2]);
    });

    it('stops delivering to a handler after unsubscribe', async () => {
      const seen: number[] = [];
      const off = bus.subscribe(async (e) => void seen.push(e.position));
      await bus.publish([event(1)]);
      off();
      await bus.publish([event(2)]);
      expect(seen).toEqual([1]);
    });

    it('rejects publish when a handler fails, after the other handlers got the event', async () => {
      const seen: number[] = [];
      bus.subscribe(async () => {
        throw new Error('boom');
      });
      bus.subscribe(async (e) => void seen.push(e.position));
      await expect(bus.publish([event(1)])).rejects.toThrow('boom');
      expect(seen).toEqual([1]);
    });

    it('publishing nothing, or with no subscriber, is fine', async () => {
      await expect(bus.publish([])).resolves.toBeUndefined();
      await expect(bus.publish([event(1)])).resolves.toBeUndefined();
    });
  });
}
