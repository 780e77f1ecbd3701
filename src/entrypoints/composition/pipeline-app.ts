// What the command line (and tests) use: the resolved use cases of one container, behind a few
// verbs. Built by each environment's container function.
import type { Container } from 'inversify';
import type { Either } from 'fp-ts/lib/Either.js';
import type { DeliverFile, DeliveredContent } from '../../application/deliver-file.use-case.js';
import type { DispatchGroups } from '../../application/dispatch-groups.use-case.js';
import type { LandedFile, RejectedFile } from '../../application/land-file.use-case.js';
import type {
  ProjectionName,
  RebuildProjections,
  RebuildReport,
} from '../../application/rebuild-projections.use-case.js';
import type {
  ReplayProjections,
  ReplayReport,
} from '../../application/replay-projections.use-case.js';
import { DEFAULT_STALE_HOURS, type ReportStale } from '../../application/report-stale.use-case.js';
import type { GroupRetry, RetryGroups } from '../../application/retry-groups.use-case.js';
import type { PipelineStatus, ShowStatus } from '../../application/show-status.use-case.js';
import type { DatasetName } from '../../domain/datasets.js';
import type { RecordedEvent } from '../../domain/events.js';
import type { KpiSet } from '../../domain/kpi/kpi.types.js';
import type { RollUp } from '../../domain/kpi/kpi-periods.js';
import {
  deltaKpiRollUp,
  storeKpiRollUp,
  type RollUpSelection,
} from '../../application/kpi-roll-up.js';
import { FACT_STORE, type FactStore } from '../../ports/fact-store.port.js';
import { ANALYTICS_TABLES, type AnalyticsTables } from '../../ports/analytics-tables.port.js';
import { EVENT_STORE, type EventStore } from '../../ports/event-store.port.js';
import { KPI_STORE, type KpiFilter, type KpiStore } from '../../ports/kpi-store.port.js';
import { readWholeLog } from '../../application/projections.js';
import { TOKENS } from './tokens.js';

/** a file about to be delivered, as far as the caller knows it before its landing */
export interface ExpectedFile {
  readonly bytes: number;
  readonly dataset: DatasetName | undefined;
}

export interface PipelineApp {
  /**
   * A hint of the files the caller is about to deliver: an app may start what their landings
   * will use (the local app: the register's worker) so it is ready when they land. Nothing
   * else changes; a file that never lands costs what was started, which never holds the process.
   */
  prepare(files: readonly ExpectedFile[]): void;
  /** puts a file under incoming/ and lands it */
  deliver(
    name: string,
    content: DeliveredContent,
    dataset?: DatasetName,
  ): Promise<Either<RejectedFile, LandedFile>>;
  /** runs the workflow of every completed group not yet dispatched */
  processUntilIdle(): Promise<string[]>;
  /** runs the workflow of transform-failed groups again (all of them when no id is given) */
  retry(groupIds?: readonly string[]): Promise<GroupRetry[]>;
  /** appends OrdersStale when the set of pending orders older than the stale age changed */
  reportStale(): Promise<string[]>;
  kpis(filter?: KpiFilter, source?: 'store' | 'delta'): Promise<KpiSet>;
  /** KPIs per week, month or the whole selection, from the facts (application/kpi-roll-up.ts) */
  kpiRollUp(filter: RollUpSelection, by: RollUp, source?: 'store' | 'delta'): Promise<KpiSet>;
  status(): Promise<PipelineStatus>;
  replay(): Promise<ReplayReport>;
  /** drops these projections (all by default), rebuilds them from the log and compares */
  rebuild(drop?: readonly ProjectionName[]): Promise<RebuildReport>;
  eventLog(): Promise<RecordedEvent[]>;
  /** where the state lives, for people */
  readonly describeState: readonly string[];
  close(): Promise<void>;
}

export const pipelineAppOf = (
  container: Container,
  describeState: readonly string[],
  close: () => Promise<void>,
  /** pending orders older than this many hours are stale (default 24) */
  staleHours: number = DEFAULT_STALE_HOURS,
): PipelineApp => {
  const get = <T>(token: symbol): T => container.get<T>(token);
  const deltaTables = (): AnalyticsTables => {
    if (!container.isBound(ANALYTICS_TABLES))
      throw new Error('no Delta tables in this environment');
    return get<AnalyticsTables>(ANALYTICS_TABLES);
  };
  return {
    prepare: () => undefined,
    deliver: (name, content, dataset) =>
      get<DeliverFile>(TOKENS.DeliverFile).execute(name, content, dataset),
    processUntilIdle: () => get<DispatchGroups>(TOKENS.DispatchGroups).execute(),
    retry: (groupIds) => get<RetryGroups>(TOKENS.RetryGroups).execute(groupIds),
    reportStale: () => get<ReportStale>(TOKENS.ReportStale).execute(staleHours),
    kpis: async (filter, source = 'store') =>
      source === 'store' ? get<KpiStore>(KPI_STORE).query(filter) : deltaTables().readKpis(filter),
    kpiRollUp: (filter, by, source = 'store') =>
      source === 'store'
        ? storeKpiRollUp(get<KpiStore>(KPI_STORE), get<FactStore>(FACT_STORE), filter, by)
        : deltaKpiRollUp(deltaTables(), filter, by),
    status: () => get<ShowStatus>(TOKENS.ShowStatus).execute({ staleHours }),
    replay: () => get<ReplayProjections>(TOKENS.ReplayProjections).execute(),
    rebuild: (drop) => get<RebuildProjections>(TOKENS.RebuildProjections).execute(drop),
    eventLog: () => {
      const events = get<EventStore>(EVENT_STORE);
      return readWholeLog((after, limit) => events.readAll(after, limit));
    },
    describeState,
    close,
  };
};
