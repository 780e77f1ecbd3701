// Workflow stage Transform: the group's items become facts (replacing earlier versions of its
// orders), and the KPIs of every date touched are recomputed from ALL facts of those dates,
// aggregated by the fact store itself (no fact is read back into JS). The KPI store and the
// Delta KPI tables get the same totals, computed after the facts write.
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { stepNeed } from '../domain/group-lifecycle.decider.js';
import { kpisFromTotals } from '../domain/kpi/kpi-totals.js';
import {
  NO_FACT_COLUMNS,
  type FactColumns,
  type FactColumnsBuilder,
} from '../domain/kpi/fact-columns.js';
import { factColumnsFor, joinFacts } from '../domain/kpi/join-facts.js';
import type { KpiTotals } from '../domain/kpi/kpi.types.js';
import { rowCount, type GroupData } from '../domain/group-data.js';
import { JOIN_COLUMNS } from '../domain/stage-columns.js';
import type { AnalyticsTables } from '../ports/analytics-tables.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventBus } from '../ports/event-bus.port.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { FactStore } from '../ports/fact-store.port.js';
import type { KpiStore } from '../ports/kpi-store.port.js';
import type { MemoryReclaim } from '../ports/memory-reclaim.port.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import type { TaskResult } from '../ports/task-runner.port.js';
import type { GroupTaskInput } from '../ports/workflow.port.js';
import { groupErrorMessage, groupState, isoAt, runGroupCommand } from './event-log.js';
import { readManifest, type WorkflowDataError } from './group-manifest-reader.js';
import type { StagedRows } from './staged-rows.js';

const MAX_KPI_ROUNDS = 5;
const NO_KPIS = { dates: [], kpis: { order: [], category: [] } } as const;
const NO_FACTS = { orderIds: [], facts: NO_FACT_COLUMNS } as const;

/**
 * Up to this many items, the join's fact columns are made with the reclaim before the join
 * (MemoryReclaim.reclaimAround; see groupFacts). Until that collection they coexist with what
 * Validate left: ~64 MB a million items, which a 3M group (~190 MB, near the run's peak) cannot
 * afford, where at 1M the Transform stays ~150 MB under the landing's peak.
 */
const COLUMNS_AHEAD_MAX_ITEMS = 1_500_000;

const sameTotals = (a: KpiTotals, b: KpiTotals): boolean =>
  JSON.stringify(a, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ===
  JSON.stringify(b, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

export class TransformGroup {
  constructor(
    private readonly objects: ObjectStore,
    private readonly events: EventStore,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly facts: FactStore,
    private readonly kpis: KpiStore,
    private readonly staged: StagedRows,
    /** Delta tables; absent where no analytics copy is kept */
    private readonly analytics: AnalyticsTables | null = null,
    /** told when the group's staged rows are dropped; absent: the runtime collects when it will */
    private readonly memory: MemoryReclaim | null = null,
  ) {}

  async execute(input: GroupTaskInput): Promise<Either<WorkflowDataError, TaskResult>> {
    const { groupId, manifestKey } = input;
    const done = right({ groupId, manifestKey, ok: true });
    const probe = { type: 'RecordTransform', data: { groupId, facts: 0, dates: [] } } as const;
    const need = stepNeed(probe, await groupState(this.events, groupId));
    if (need._tag === 'done') return done;
    if (need._tag === 'refused') {
      return left({ _tag: 'InvalidTransition', message: groupErrorMessage(need.error) });
    }
    const joined = await this.groupFacts(manifestKey, groupId);
    // the staged rows the join dropped go before the writes (see groupFacts)
    await this.memory?.reclaim();
    if (isLeft(joined)) return joined;
    const { orderIds, facts } = joined.right;
    // the facts (and the staged strings they share) are not used after the Delta commit: only
    // their count is, so they can be collected while the KPIs are aggregated and written
    const factCount = facts.length;
    // the Delta facts and the fact store's replace do not depend on each other and each is
    // idempotent per group (a re-run after a crash redoes whichever did not finish), so they run
    // together: an adapter committing on another thread overlaps them and the first KPI
    // aggregation. The KPI writes wait for both. Started before the touched dates are looked
    // up: the Delta facts need neither them nor their event, and its thread starts sooner.
    const deltaFacts =
      this.analytics?.commit({ ...NO_KPIS, transactionId: groupId, orderIds, facts }) ??
      Promise.resolve();
    // awaited below: a lookup or replace that fails first must not leave its failure unhandled
    deltaFacts.catch(() => undefined);
    // the dates the orders leave are known only before their facts are replaced: the log keeps
    // them (FactsReplaced, recorded before the write), so a run that fails anywhere after it
    // still recomputes a date an order left
    const recorded = await this.recordTouchedDates(
      groupId,
      await this.facts.touchedBy(orderIds, facts),
    );
    const replaced = await this.facts.replaceOrders(orderIds, facts);
    const dates = [...new Set([...recorded, ...replaced])].sort();
    await this.writeKpisUntilStable(groupId, dates, deltaFacts);
    const transformed = await runGroupCommand(
      this.events,
      this.bus,
      { type: 'RecordTransform', data: { groupId, facts: factCount, dates } },
      isoAt(this.clock.now()),
    );
    if (isLeft(transformed)) {
      return left({ _tag: 'InvalidTransition', message: groupErrorMessage(transformed.left) });
    }
    return done;
  }

  /**
   * Another group's transform may write facts of the same dates between our aggregation and our
   * writes (concurrent executions in AWS), and its KPIs may land before ours. So after writing
   * the KPI store AND the Delta KPI tables, aggregate again and write again while the totals
   * moved: the last writer of a date, in each of the two, then always holds KPIs over all of its
   * facts (its check comes after every earlier facts write). The Delta KPI commit is never
   * skipped as already done (its transaction id is new per write): a re-run after a crash must
   * overwrite KPIs an earlier attempt computed from older facts. Bounded; a date that never
   * settles fails the step, which the workflow retries.
   */
  private async writeKpisUntilStable(
    groupId: string,
    dates: readonly string[],
    /** the Delta facts commit: its KPIs are committed after it */
    deltaFacts: Promise<void>,
  ): Promise<void> {
    // read before aggregating: an unchanged version afterwards means no fact moved since
    let version = await this.facts.version();
    let totals = await this.facts.kpiTotals(dates);
    await deltaFacts;
    for (let round = 1; ; round++) {
      await this.kpis.replaceDates(dates, totals);
      await this.analytics?.commit({
        ...NO_FACTS,
        transactionId: `${groupId}:kpis:${this.clock.now()}:${round}`,
        dates,
        kpis: kpisFromTotals(totals),
      });
      // the check costs a second aggregation (1.5 s for a 1M-fact group in SQLite): skipped
      // when the store can tell that no fact changed since the first one
      const now = await this.facts.version();
      if (version !== null && now === version) return;
      version = now;
      const again = await this.facts.kpiTotals(dates);
      if (sameTotals(again, totals)) return;
      if (round >= MAX_KPI_ROUNDS) {
        throw new Error(
          `the facts of ${dates.join(', ')} kept changing while their KPIs were written`,
        );
      }
      totals = again;
    }
  }

  /**
   * The group's order ids and facts. Only the rows (with the join's columns) and the order ids
   * reach the join: the manifest's other completion columns, the group rules' columns and the
   * row hashes Validate's selection held are dropped by groupRows. That garbage, and what
   * Validate left (~300 MB of heap at 3M items), is collected before the join adds the facts, and
   * the rows the join drops are collected once it returns: otherwise each stays in the heap until
   * it next fills, under the peak of the join and of the fact and Delta writes.
   */
  private async groupFacts(
    manifestKey: string,
    groupId: string,
  ): Promise<Either<WorkflowDataError, { orderIds: readonly string[]; facts: FactColumns }>> {
    const group = await this.groupRows(manifestKey, groupId);
    if (isLeft(group)) return group;
    const { rows } = group.right;
    // Made after the collection, the join's columns crossed the limit it left, and V8 ran a
    // full collection of its own inside the join that freed nothing, every row being in use
    // (1M items: 100-145 ms, --trace-gc). Made with it, they are either counted in the heap it
    // leaves, or their allocation sets off V8's collection, which then stands for ours.
    const items = rowCount(rows.items);
    let columns: FactColumnsBuilder | undefined;
    if (this.memory?.reclaimAround !== undefined && items <= COLUMNS_AHEAD_MAX_ITEMS)
      columns = await this.memory.reclaimAround(() => factColumnsFor(rows));
    else await this.memory?.reclaim();
    const { facts } = joinFacts(rows, columns);
    return right({ orderIds: group.right.orderIds, facts });
  }

  /**
   * The group's order ids and rows with JOIN_COLUMNS only. The rows are not read again (Archive
   * needs the manifest only), so StagedRows releases them as it answers; when Validate ran in
   * this process, it answers with what Validate selected. Nothing else of the manifest is
   * reachable once this returns.
   */
  private async groupRows(
    manifestKey: string,
    groupId: string,
  ): Promise<Either<WorkflowDataError, { orderIds: readonly string[]; rows: GroupData }>> {
    const manifest = await readManifest(this.objects, manifestKey, groupId);
    if (isLeft(manifest)) return manifest;
    const { completions } = manifest.right;
    const rows = await this.staged.take(completions, JOIN_COLUMNS);
    return right({ orderIds: completions.orderIds, rows });
  }

  private async recordTouchedDates(groupId: string, dates: readonly string[]): Promise<string[]> {
    const recorded = await runGroupCommand(
      this.events,
      this.bus,
      { type: 'RecordFactsReplaced', data: { groupId, dates: [...dates].sort() } },
      isoAt(this.clock.now()),
    );
    if (isLeft(recorded)) throw new Error(groupErrorMessage(recorded.left));
    const { touchedDates } = await groupState(this.events, groupId);
    return [...new Set([...touchedDates, ...dates])].sort();
  }
}
