// Binds the use cases to their ports, for every environment. Each use case is built by an
// explicit factory over tokens (no type-based injection); adapters are bound by the
// environment's own module.
import { ContainerModule } from 'inversify';
import { V8MemoryReclaim } from '../../adapters/node/v8-memory-reclaim.js';
import { ArchiveGroup } from '../../application/archive-group.use-case.js';
import { DeliverFile } from '../../application/deliver-file.use-case.js';
import { DispatchGroups } from '../../application/dispatch-groups.use-case.js';
import { GroupTasks } from '../../application/group-tasks.js';
import { LandFile, type LandingPolicy } from '../../application/land-file.use-case.js';
import { RecordFailure } from '../../application/record-failure.use-case.js';
import { RebuildProjections } from '../../application/rebuild-projections.use-case.js';
import { ReplayProjections } from '../../application/replay-projections.use-case.js';
import { ReportStale } from '../../application/report-stale.use-case.js';
import { RetryGroups } from '../../application/retry-groups.use-case.js';
import { ShowStatus } from '../../application/show-status.use-case.js';
import type { StagedFilePrefetch } from '../../application/staged-file-prefetch.js';
import { StagedRows } from '../../application/staged-rows.js';
import { stagedRowRulesWith } from '../../application/staged-row-rules.js';
import { SEED_RULES, type RuleSet } from '../../domain/validation/rules-config.codec.js';
import { TransformGroup } from '../../application/transform-group.use-case.js';
import { ValidateGroup } from '../../application/validate-group.use-case.js';
import { ANALYTICS_TABLES, type AnalyticsTables } from '../../ports/analytics-tables.port.js';
import { CLOCK, type Clock } from '../../ports/clock.port.js';
import { CSV_DECODER, type CsvDecoder } from '../../ports/csv-decoder.port.js';
import { EVENT_BUS, type EventBus } from '../../ports/event-bus.port.js';
import { EVENT_STORE, type EventStore } from '../../ports/event-store.port.js';
import { FACT_STORE, type FactStore } from '../../ports/fact-store.port.js';
import { HASHER, type Hasher } from '../../ports/hasher.port.js';
import { KPI_STORE, type KpiStore } from '../../ports/kpi-store.port.js';
import { LOGGER, type Logger } from '../../ports/logger.port.js';
import { MEMORY_RECLAIM, type MemoryReclaim } from '../../ports/memory-reclaim.port.js';
import { OBJECT_STORE, type ObjectStore } from '../../ports/object-store.port.js';
import { REFERENCE_INDEX, type ReferenceIndex } from '../../ports/reference-index.port.js';
import { STAGING_CODEC, type StagingCodec } from '../../ports/staging-codec.port.js';
import { TASK_RUNNER } from '../../ports/task-runner.port.js';
import { WORKFLOW_STARTER, type WorkflowStarter } from '../../ports/workflow.port.js';
import { TOKENS } from './tokens.js';

const optional = <T extends symbol>(serviceIdentifier: T) =>
  ({ optional: true, serviceIdentifier }) as const;

export const applicationModule = new ContainerModule(({ bind }) => {
  bind(MEMORY_RECLAIM).toConstantValue(new V8MemoryReclaim());
  bind(TOKENS.StagedRows).toResolvedValue(
    (o: ObjectStore, c: StagingCodec, f: StagedFilePrefetch | undefined) => new StagedRows(o, c, f),
    [OBJECT_STORE, STAGING_CODEC, optional(TOKENS.StagedFilePrefetch)],
  );
  bind(TOKENS.LandFile).toResolvedValue(
    (
      o: ObjectStore,
      e: EventStore,
      b: EventBus,
      c: Clock,
      h: Hasher,
      d: CsvDecoder,
      s: StagingCodec,
      i: ReferenceIndex,
      p: LandingPolicy | undefined,
      r: RuleSet | undefined,
      f: StagedFilePrefetch | undefined,
    ) => new LandFile(o, e, b, c, h, d, s, i, p ?? 'reject-file', r ?? SEED_RULES, f),
    [
      OBJECT_STORE,
      EVENT_STORE,
      EVENT_BUS,
      CLOCK,
      HASHER,
      CSV_DECODER,
      STAGING_CODEC,
      REFERENCE_INDEX,
      optional(TOKENS.LandingPolicy),
      optional(TOKENS.ValidationRules),
      optional(TOKENS.StagedFilePrefetch),
    ],
  );
  bind(TOKENS.ValidateGroup).toResolvedValue(
    (o: ObjectStore, e: EventStore, b: EventBus, c: Clock, s: StagedRows, r: RuleSet | undefined) =>
      new ValidateGroup(o, e, b, c, s, stagedRowRulesWith(r ?? SEED_RULES)),
    [
      OBJECT_STORE,
      EVENT_STORE,
      EVENT_BUS,
      CLOCK,
      TOKENS.StagedRows,
      optional(TOKENS.ValidationRules),
    ],
  );
  bind(TOKENS.TransformGroup).toResolvedValue(
    (
      o: ObjectStore,
      e: EventStore,
      b: EventBus,
      c: Clock,
      f: FactStore,
      k: KpiStore,
      s: StagedRows,
      a: AnalyticsTables | undefined,
      m: MemoryReclaim,
    ) => new TransformGroup(o, e, b, c, f, k, s, a ?? null, m),
    [
      OBJECT_STORE,
      EVENT_STORE,
      EVENT_BUS,
      CLOCK,
      FACT_STORE,
      KPI_STORE,
      TOKENS.StagedRows,
      optional(ANALYTICS_TABLES),
      MEMORY_RECLAIM,
    ],
  );
  bind(TOKENS.ArchiveGroup).toResolvedValue(
    (o: ObjectStore, e: EventStore, b: EventBus, c: Clock, i: ReferenceIndex) =>
      new ArchiveGroup(o, e, b, c, i),
    [OBJECT_STORE, EVENT_STORE, EVENT_BUS, CLOCK, REFERENCE_INDEX],
  );
  bind(TOKENS.RecordFailure).toResolvedValue(
    (e: EventStore, b: EventBus, c: Clock, l: Logger) => new RecordFailure(e, b, c, l),
    [EVENT_STORE, EVENT_BUS, CLOCK, LOGGER],
  );
  bind(TASK_RUNNER).toResolvedValue(
    (v: ValidateGroup, t: TransformGroup, a: ArchiveGroup, r: RecordFailure) =>
      new GroupTasks(v, t, a, r),
    [TOKENS.ValidateGroup, TOKENS.TransformGroup, TOKENS.ArchiveGroup, TOKENS.RecordFailure],
  );
  bind(TOKENS.ReportStale).toResolvedValue(
    (i: ReferenceIndex, e: EventStore, b: EventBus, c: Clock) => new ReportStale(i, e, b, c),
    [REFERENCE_INDEX, EVENT_STORE, EVENT_BUS, CLOCK],
  );
  bind(TOKENS.DispatchGroups).toResolvedValue(
    (e: EventStore, w: WorkflowStarter) => new DispatchGroups(e, w),
    [EVENT_STORE, WORKFLOW_STARTER],
  );
  bind(TOKENS.RetryGroups).toResolvedValue(
    (e: EventStore, w: WorkflowStarter, c: Clock) => new RetryGroups(e, w, c),
    [EVENT_STORE, WORKFLOW_STARTER, CLOCK],
  );
  bind(TOKENS.DeliverFile).toResolvedValue(
    (o: ObjectStore, e: EventStore, h: Hasher, l: LandFile) => new DeliverFile(o, e, h, l),
    [OBJECT_STORE, EVENT_STORE, HASHER, TOKENS.LandFile],
  );
  bind(TOKENS.ShowStatus).toResolvedValue(
    (e: EventStore, i: ReferenceIndex, c: Clock) => new ShowStatus(e, i, c),
    [EVENT_STORE, REFERENCE_INDEX, CLOCK],
  );
  bind(TOKENS.ReplayProjections).toResolvedValue(
    (e: EventStore, i: ReferenceIndex, o: ObjectStore, s: StagingCodec) =>
      new ReplayProjections(e, i, o, s),
    [EVENT_STORE, REFERENCE_INDEX, OBJECT_STORE, STAGING_CODEC],
  );
  bind(TOKENS.RebuildProjections).toResolvedValue(
    (
      e: EventStore,
      i: ReferenceIndex,
      f: FactStore,
      k: KpiStore,
      o: ObjectStore,
      s: StagingCodec,
      r: StagedRows,
      a: AnalyticsTables | undefined,
    ) => new RebuildProjections(e, i, f, k, o, s, r, a ?? null),
    [
      EVENT_STORE,
      REFERENCE_INDEX,
      FACT_STORE,
      KPI_STORE,
      OBJECT_STORE,
      STAGING_CODEC,
      TOKENS.StagedRows,
      optional(ANALYTICS_TABLES),
    ],
  );
});
