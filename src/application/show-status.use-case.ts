// What the pipeline holds now: files (landed/rejected), groups by state, pending orders and what
// each lacks, stale orders, and the last events.
import type { RecordedEvent } from '../domain/events.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { PendingOrder, ReferenceIndex } from '../ports/reference-index.port.js';
import { foldProjections, readWholeLog, type FileView, type GroupView } from './projections.js';
import { DEFAULT_STALE_HOURS } from './report-stale.use-case.js';

export interface PipelineStatus {
  readonly files: readonly FileView[];
  readonly groups: readonly GroupView[];
  readonly pending: readonly PendingOrder[];
  readonly stale: readonly string[];
  /** the age (hours) past which a pending order counts as stale */
  readonly staleHours: number;
  readonly processedOrders: number;
  readonly lastEvents: readonly RecordedEvent[];
}

export class ShowStatus {
  constructor(
    private readonly events: EventStore,
    private readonly index: ReferenceIndex,
    private readonly clock: Clock,
  ) {}

  async execute(
    options: { staleHours?: number; lastEvents?: number } = {},
  ): Promise<PipelineStatus> {
    const log = await readWholeLog((after, limit) => this.events.readAll(after, limit));
    const projections = foldProjections(log);
    const pending = await this.index.pending();
    const staleHours = options.staleHours ?? DEFAULT_STALE_HOURS;
    const cutoff = this.clock.now() - staleHours * 3_600_000;
    return {
      files: [...projections.files.values()].sort((a, b) => a.fileKey.localeCompare(b.fileKey)),
      groups: [...projections.groups.values()],
      pending,
      stale: pending.filter((p) => p.firstSeenAt < cutoff).map((p) => p.orderId),
      staleHours,
      processedOrders: await this.index.completedCount(),
      lastEvents: log.slice(-(options.lastEvents ?? 10)),
    };
  }
}
