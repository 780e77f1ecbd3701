// `replay --rebuild`: the event log plus the content-addressed staged Parquet it points to are the
// source of truth, so every stored projection can be dropped and derived again:
// - reference index: each FileLanded's staged keys registered again, in log order, at its time;
// - facts: each Transformed group's manifest rows joined again and replaced, in log order;
// - KPI store: recomputed from the facts of every date a transform touched;
// - Delta tables: one commit of those facts and KPIs.
// (File/group status, touched dates and the dispatch position are folds of the log itself.)
// The live state is read first and compared with the rebuilt one: any difference is reported.
import { isLeft } from 'fp-ts/lib/Either.js';
import type { GroupCompleted, RecordedEvent, Transformed } from '../domain/events.js';
import { kpisFromTotals } from '../domain/kpi/kpi-totals.js';
import { factColumnsOf } from '../domain/kpi/fact-columns.js';
import { joinFacts } from '../domain/kpi/join-facts.js';
import type { Fact, KpiSet } from '../domain/kpi/kpi.types.js';
import type { AnalyticsTables } from '../ports/analytics-tables.port.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { FactStore } from '../ports/fact-store.port.js';
import type { KpiStore } from '../ports/kpi-store.port.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import type { PendingOrder, ReferenceIndex } from '../ports/reference-index.port.js';
import type { StagingCodec } from '../ports/staging-codec.port.js';
import { readManifest } from './group-manifest-reader.js';
import { readWholeLog } from './projections.js';
import { stagedLandingKeys } from './staged-landing-keys.js';
import type { StagedRows } from './staged-rows.js';

export const PROJECTION_NAMES = ['reference-index', 'facts', 'kpis', 'delta'] as const;
export type ProjectionName = (typeof PROJECTION_NAMES)[number];

export interface RebuildReport {
  readonly rebuilt: readonly ProjectionName[];
  readonly landings: number;
  readonly transformedGroups: number;
  readonly dates: number;
  /** empty when every rebuilt projection equals what was live before */
  readonly differences: readonly string[];
}

interface Snapshot {
  readonly pending: readonly PendingOrder[];
  readonly completed: number;
  readonly kpis: KpiSet;
  readonly deltaKpis: KpiSet | null;
  readonly deltaFacts: readonly Fact[] | null;
}

const byItem = (a: Fact, b: Fact): number => a.itemId.localeCompare(b.itemId);
/** dates per KPI recomputation: bounds how many facts are held at once */
const DATES_PER_ROUND = 31;

export class RebuildProjections {
  constructor(
    private readonly events: EventStore,
    private readonly index: ReferenceIndex,
    private readonly facts: FactStore,
    private readonly kpis: KpiStore,
    private readonly objects: ObjectStore,
    private readonly staging: StagingCodec,
    private readonly staged: StagedRows,
    private readonly analytics: AnalyticsTables | null,
  ) {}

  async execute(drop: readonly ProjectionName[] = PROJECTION_NAMES): Promise<RebuildReport> {
    const log = await readWholeLog((after, limit) => this.events.readAll(after, limit));
    const rebuilt = PROJECTION_NAMES.filter(
      (p) => drop.includes(p) && (p !== 'delta' || this.analytics !== null),
    );
    const before = await this.snapshot();
    const landings = log.filter((e) => e.type === 'FileLanded');
    const transformed = log.filter(
      (e): e is RecordedEvent<Transformed> => e.type === 'Transformed',
    );
    const dates = [...new Set(transformed.flatMap((e) => e.data.dates))].sort();

    if (rebuilt.includes('reference-index')) {
      await this.index.reset();
      for (const landed of landings) {
        const keys = await stagedLandingKeys(this.objects, this.staging, landed);
        await this.index.register(keys, Date.parse(landed.occurredAt));
      }
    }
    if (rebuilt.includes('facts')) await this.replayFacts(log, transformed);
    if (rebuilt.includes('kpis')) {
      await this.kpis.reset();
      for (const round of rounds(dates))
        await this.kpis.replaceDates(round, await this.facts.kpiTotals(round));
    }
    if (rebuilt.includes('delta') && this.analytics !== null) {
      await this.analytics.reset();
      const facts = await this.facts.forDates(dates);
      await this.analytics.commit({
        transactionId: `rebuild-${log.at(-1)?.position ?? 0}`,
        orderIds: [...new Set(facts.map((f) => f.orderId))],
        facts: factColumnsOf(facts),
        dates,
        kpis: kpisFromTotals(await this.facts.kpiTotals(dates)),
      });
    }
    const after = await this.snapshot();
    return {
      rebuilt,
      landings: landings.length,
      transformedGroups: transformed.length,
      dates: dates.length,
      differences: compare(before, after),
    };
  }

  private async replayFacts(
    log: readonly RecordedEvent[],
    transformed: readonly RecordedEvent<Transformed>[],
  ): Promise<void> {
    const manifests = new Map<string, string>();
    for (const e of log) {
      if (e.type === 'GroupCompleted') {
        const { groupId, manifestKey } = (e as RecordedEvent<GroupCompleted>).data;
        manifests.set(groupId, manifestKey);
      }
    }
    await this.facts.reset();
    for (const { data } of transformed) {
      const manifestKey = manifests.get(data.groupId) ?? '';
      const manifest = await readManifest(this.objects, manifestKey, data.groupId);
      if (isLeft(manifest)) throw new Error(manifest.left.message);
      const { completions } = manifest.right;
      const { facts } = joinFacts(await this.staged.load(completions));
      this.staged.release(completions);
      await this.facts.replaceOrders(completions.orderIds, facts);
    }
  }

  private async snapshot(): Promise<Snapshot> {
    return {
      pending: await this.index.pending(),
      completed: await this.index.completedCount(),
      kpis: await this.kpis.query(),
      deltaKpis: this.analytics === null ? null : await this.analytics.readKpis(),
      deltaFacts:
        this.analytics === null ? null : [...(await this.analytics.readFacts())].sort(byItem),
    };
  }
}

const rounds = (dates: readonly string[]): string[][] =>
  Array.from({ length: Math.ceil(dates.length / DATES_PER_ROUND) }, (_, i) =>
    dates.slice(i * DATES_PER_ROUND, (i + 1) * DATES_PER_ROUND),
  );

const compare = (live: Snapshot, rebuilt: Snapshot): string[] => {
  const differences: string[] = [];
  const same = (name: string, a: unknown, b: unknown, count: (x: unknown) => number): void => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      differences.push(`${name}: live ${count(a)}, rebuilt ${count(b)} (contents differ)`);
  };
  const size = (x: unknown): number => (Array.isArray(x) ? x.length : Number(x));
  const kpiRows = (x: unknown): number => {
    const set = x as KpiSet | null;
    return set === null ? 0 : set.order.length + set.category.length;
  };
  same('pending orders', live.pending, rebuilt.pending, size);
  same('processed orders', live.completed, rebuilt.completed, size);
  same('KPI store rows', live.kpis, rebuilt.kpis, kpiRows);
  same('Delta KPI rows', live.deltaKpis, rebuilt.deltaKpis, kpiRows);
  same('Delta facts', live.deltaFacts, rebuilt.deltaFacts, (x) => (x === null ? 0 : size(x)));
  return differences;
};
