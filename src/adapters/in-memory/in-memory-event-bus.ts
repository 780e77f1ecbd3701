// In-process delivery: each event goes to every subscriber, in subscription order, and publish
// resolves only after all handlers finished (so a local run is idle when publish returns).
import type { RecordedEvent } from '../../domain/events.js';
import type { EventBus, EventHandler } from '../../ports/event-bus.port.js';

export class InMemoryEventBus implements EventBus {
  private handlers: EventHandler[] = [];

  async publish(events: readonly RecordedEvent[]): Promise<void> {
    const failures: unknown[] = [];
    for (const event of events) {
      // a snapshot: subscribing during delivery affects the next event, not this one
      for (const handler of [...this.handlers]) {
        try {
          await handler(event);
        } catch (e) {
          failures.push(e);
        }
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, 'event handlers failed');
  }

  subscribe(handler: EventHandler): () => void {
    this.handlers = [...this.handlers, handler];
    return () => {
      this.handlers = this.handlers.filter((h) => h !== handler);
    };
  }
}
