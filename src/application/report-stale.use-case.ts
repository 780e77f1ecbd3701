// Pending orders older than the configured age are reported (OrdersStale) once per change of
// the stale set, so running it on every ingest does not repeat the same report.
import { STALE_STREAM_ID, type OrdersStale } from '../domain/events.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventBus } from '../ports/event-bus.port.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { ReferenceIndex } from '../ports/reference-index.port.js';
import { isoAt } from './event-log.js';

export const DEFAULT_STALE_HOURS = 24;

export class ReportStale {
  constructor(
    private readonly index: ReferenceIndex,
    private readonly events: EventStore,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  /** the stale order ids (sorted); appends OrdersStale only when they differ from the last report */
  async execute(olderThanHours: number = DEFAULT_STALE_HOURS): Promise<string[]> {
    const now = this.clock.now();
    const cutoff = now - olderThanHours * 3_600_000;
    const stale = (await this.index.pending())
      .filter((p) => p.firstSeenAt < cutoff)
      .map((p) => p.orderId)
      .sort();
    const stream = await this.events.readStream(STALE_STREAM_ID);
    const last = stream.at(-1);
    const previous = last?.type === 'OrdersStale' ? last.data.orderIds : [];
    if (stale.length === 0 || previous.join('\n') === stale.join('\n')) return stale;
    const event: OrdersStale = {
      type: 'OrdersStale',
      data: { orderIds: stale, olderThanHours, asOf: isoAt(now) },
    };
    const appended = await this.events.append(STALE_STREAM_ID, [event], stream.length, isoAt(now));
    if (appended._tag === 'Right') await this.bus.publish(appended.right);
    return stale;
  }
}
