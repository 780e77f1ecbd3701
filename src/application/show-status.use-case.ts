// What the pipeline holds now: files (landed/rejected), groups by state, pending orders and what
// each lacks, stale orders, and the last events.
import type { RecordedEvent } from '../domain/events.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { PendingOrder, ReferenceIndex } from '../ports/reference-index.port.js';
import { foldProjections, readWholeLog, type FileView, type GroupView } from './projections.js';
import { DEFAULT_STALE_HOURS } from './report-stale.use-case.js';
import { retryableOf, type RetryableGroup } from './retry-groups.use-case.js';
import { STUCK_AFTER_MS } from './stuck-groups.js';

/** a pending order, and the rejected files holding the kind of rows it waits for */
export type PendingStatus = PendingOrder & { readonly waitsOnRejected: readonly string[] };

export interface PipelineStatus {
  readonly files: readonly FileView[];
  readonly groups: readonly GroupView[];
  readonly pending: readonly PendingStatus[];
  readonly stale: readonly string[];
  /** the age (hours) past which a pending order counts as stale */
  readonly staleHours: number;
  /** non-terminal groups silent for longer than their workflow can live (`retry` takes them) */
  readonly stuck: readonly RetryableGroup[];
  /** the silence (hours) past which a non-terminal group counts as stuck */
  readonly stuckAfterHours: number;
  readonly processedOrders: number;
  readonly lastEvents: readonly RecordedEvent[];
}

/**
 * Does a pending order wait for rows of that dataset? A rejected file of that dataset may hold
 * them (the index never saw its keys, so "may": the file is named, not proven to hold them).
 */
export const waitsFor = (dataset: string | null, p: PendingOrder): boolean => {
  if (dataset === 'products') return p.missingProducts.length > 0;
  if (dataset === 'orders') return !p.hasOrderRow;
  if (dataset === 'order_items') return p.expectedItems === null || p.landedItems < p.expectedItems;
  return false;
};

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
    const rejected = [...projections.files.values()].filter((f) => f.status === 'rejected');
    const pending = (await this.index.pending()).map((p) => ({
      ...p,
      waitsOnRejected: rejected.filter((f) => waitsFor(f.dataset, p)).map((f) => f.fileKey),
    }));
    const staleHours = options.staleHours ?? DEFAULT_STALE_HOURS;
    const cutoff = this.clock.now() - staleHours * 3_600_000;
    return {
      files: [...projections.files.values()].sort((a, b) => a.fileKey.localeCompare(b.fileKey)),
      groups: [...projections.groups.values()],
      pending,
      stale: pending.filter((p) => p.firstSeenAt < cutoff).map((p) => p.orderId),
      staleHours,
      stuck: retryableOf(projections.groups.values(), this.clock.now()).filter(
        (g) => g.stuckSince !== null,
      ),
      stuckAfterHours: STUCK_AFTER_MS / 3_600_000,
      processedOrders: await this.index.completedCount(),
      lastEvents: log.slice(-(options.lastEvents ?? 10)),
    };
  }
}
