// Workflow stage Transform: the group's items become facts (replacing earlier versions of its
// orders), and the KPIs of every date touched are recomputed from ALL facts of those dates.
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { stepNeed } from '../domain/group-lifecycle.decider.js';
import { computeKpis } from '../domain/kpi/compute-kpis.js';
import { joinFacts } from '../domain/kpi/join-facts.js';
import type { KpiSet } from '../domain/kpi/kpi.types.js';
import type { AnalyticsTables } from '../ports/analytics-tables.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventBus } from '../ports/event-bus.port.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { FactStore } from '../ports/fact-store.port.js';
import type { KpiStore } from '../ports/kpi-store.port.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import type { TaskResult } from '../ports/task-runner.port.js';
import type { GroupTaskInput } from '../ports/workflow.port.js';
import { groupErrorMessage, groupState, isoAt, runGroupCommand } from './event-log.js';
import { readManifest, type WorkflowDataError } from './group-manifest-reader.js';
import type { StagedRows } from './staged-rows.js';

const MAX_KPI_ROUNDS = 5;

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
    const manifest = await readManifest(this.objects, manifestKey, groupId);
    if (isLeft(manifest)) return manifest;
    const orderIds = manifest.right.orders.map((o) => o.orderId);
    const { facts } = joinFacts(await this.staged.load(manifest.right.orders));
    // the staged rows are not read again (Archive needs the manifest only): free them before
    // the fact and Delta writes, the memory peak of a big group
    this.staged.release(manifest.right.orders);
    // the dates the orders leave are known only before their facts are replaced: the log keeps
    // them (FactsReplaced, recorded before the write), so a run that fails anywhere after it
    // still recomputes a date an order left
    const recorded = await this.recordTouchedDates(
      groupId,
      await this.facts.touchedBy(orderIds, facts),
    );
    const replaced = await this.facts.replaceOrders(orderIds, facts);
    const dates = [...new Set([...recorded, ...replaced])].sort();
    const kpis = await this.writeKpisUntilStable(dates);
    await this.analytics?.commit({ transactionId: groupId, orderIds, facts, dates, kpis });
    const transformed = await runGroupCommand(
      this.events,
      this.bus,
      { type: 'RecordTransform', data: { groupId, facts: facts.length, dates } },
      isoAt(this.clock.now()),
    );
    if (isLeft(transformed)) {
      return left({ _tag: 'InvalidTransition', message: groupErrorMessage(transformed.left) });
    }
    return done;
  }

  /**
   * Another group's transform may write facts of the same dates between our read and our
   * write (concurrent executions in AWS), and its KPIs may land before ours. So after writing,
   * read the facts again and write again while they moved: the last writer of a date then
   * always holds KPIs over all of its facts (its check read comes after every earlier facts
   * write). Bounded; a date that never settles fails the step, which the workflow retries.
   */
  private async writeKpisUntilStable(dates: readonly string[]): Promise<KpiSet> {
    let kpis = computeKpis(await this.facts.forDates(dates));
    for (let round = 1; ; round++) {
      await this.kpis.replaceDates(dates, kpis);
      const again = computeKpis(await this.facts.forDates(dates));
      if (JSON.stringify(again) === JSON.stringify(kpis)) return kpis;
      if (round >= MAX_KPI_ROUNDS) {
        throw new Error(
          `the facts of ${dates.join(', ')} kept changing while their KPIs were written`,
        );
      }
      kpis = again;
    }
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
