// Runs the workflow of transform-failed groups again (an infrastructure fault that outlived the
// workflow's retries, e.g. a full disk), and of stuck groups (stuck-groups.ts: no workflow runs
// for them any more). Every step is idempotent, so a retried group appends only the events it is
// missing. Rejected groups are not retried: their data must be corrected.
import type { Clock } from '../ports/clock.port.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { WorkflowStarter } from '../ports/workflow.port.js';
import { groupState } from './event-log.js';
import { foldProjections, readWholeLog, type GroupView } from './projections.js';
import { isStuck } from './stuck-groups.js';

/** a group `retry` without names takes up: transform-failed, or stuck since its last event */
export interface RetryableGroup {
  readonly groupId: string;
  readonly status: string;
  /** the time of the stuck group's last event (ISO 8601); null when it is transform-failed */
  readonly stuckSince: string | null;
}

/** the transform-failed and the stuck groups of the log at `now`, in log order */
export const retryableOf = (groups: Iterable<GroupView>, now: number): RetryableGroup[] =>
  [...groups]
    .filter((g) => g.status === 'transform-failed' || isStuck(g, now))
    .map((g) => ({
      groupId: g.groupId,
      status: g.status,
      stuckSince: g.status === 'transform-failed' ? null : g.lastEventAt,
    }));

export type RetryOutcome =
  /** the workflow ran through: the group is archived and its orders are in the KPIs */
  | 'succeeded'
  /** the workflow ran but the group did not end archived */
  | 'failed'
  /** not retried (unknown, rejected, already done, or the execution exists elsewhere) */
  | 'skipped';

export interface GroupRetry {
  readonly groupId: string;
  readonly outcome: RetryOutcome;
  /** the group's status after the attempt */
  readonly status: string;
  /** why it failed or was skipped */
  readonly reason: string | null;
  /** set when the group was retried because it was stuck: the time of its last event */
  readonly stuckSince: string | null;
}

const skipReason = (status: string): string =>
  status === 'validation-failed'
    ? 'validation failed: correct the data and land the files again (retry does not help)'
    : status === 'archived'
      ? 'already processed'
      : `not failed (${status}): nothing to retry`;

export class RetryGroups {
  constructor(
    private readonly events: EventStore,
    private readonly workflow: WorkflowStarter,
    private readonly clock: Clock,
  ) {}

  /** the transform-failed and stuck groups of the log now, in log order */
  async retryableGroups(): Promise<RetryableGroup[]> {
    const log = await readWholeLog((after, limit) => this.events.readAll(after, limit));
    return retryableOf(foldProjections(log).groups.values(), this.clock.now());
  }

  /** retries the given groups (all retryable ones when none is given), one after another */
  async execute(groupIds: readonly string[] = []): Promise<GroupRetry[]> {
    const retryable = await this.retryableGroups();
    const stuck = new Map(retryable.map((g) => [g.groupId, g.stuckSince]));
    const ids = groupIds.length > 0 ? [...new Set(groupIds)] : retryable.map((g) => g.groupId);
    const results: GroupRetry[] = [];
    for (const groupId of ids) {
      const stuckSince = stuck.get(groupId) ?? null;
      results.push({ ...(await this.retry(groupId, stuckSince !== null)), stuckSince });
    }
    return results;
  }

  private async retry(groupId: string, stuck: boolean): Promise<Omit<GroupRetry, 'stuckSince'>> {
    const before = await groupState(this.events, groupId);
    if (before.status === 'initial') {
      return { groupId, outcome: 'skipped', status: 'unknown', reason: 'no such group' };
    }
    if ((before.status !== 'transform-failed' && !stuck) || before.manifestKey === null) {
      return {
        groupId,
        outcome: 'skipped',
        status: before.status,
        reason: skipReason(before.status),
      };
    }
    const started = await this.workflow.start({ groupId, manifestKey: before.manifestKey });
    if (started.alreadyStarted) {
      return {
        groupId,
        outcome: 'skipped',
        status: before.status,
        reason: `execution ${started.executionName} already exists: redrive it instead`,
      };
    }
    // the embedded starter runs the whole workflow before it returns: the log tells the outcome
    const after = await groupState(this.events, groupId);
    if (after.status === 'archived') {
      return { groupId, outcome: 'succeeded', status: after.status, reason: null };
    }
    const reason =
      after.status === 'validation-failed'
        ? skipReason(after.status)
        : (after.lastError ?? `the workflow ended with the group ${after.status}`);
    return { groupId, outcome: 'failed', status: after.status, reason };
  }
}
