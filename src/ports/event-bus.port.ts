// Publishes recorded events to subscribers (in-process locally, EventBridge in AWS).
import type { RecordedEvent } from '../domain/events.js';

export type EventHandler = (event: RecordedEvent) => Promise<void>;

export interface EventBus {
  /** delivers each event at least once; throws when some could not be published */
  publish(events: readonly RecordedEvent[]): Promise<void>;
  /**
   * Registers an in-process handler; returns a function that removes it. In AWS, delivery is
   * wired by EventBridge rules instead, and the adapter refuses in-process subscriptions.
   */
  subscribe(handler: EventHandler): () => void;
}

export const EVENT_BUS = Symbol.for('EventBus');
