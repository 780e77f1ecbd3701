// Runs the workflow of transform-failed groups again (an infrastructure fault that outlived the
// workflow's retries, e.g. a full disk). Every step is idempotent, so a retried group appends only
// the events it is missing. Rejected groups are not retried: their data must be corrected.
import type { EventStore } from '../ports/event-store.port.js';
import type { WorkflowStarter } from '../ports/workflow.port.js';
import { groupState } from './event-log.js';
import { foldProjections, readWholeLog } from './projections.js';

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
  ) {}

  /** the groups whose last state is transform-failed, in log order */
  async failedGroups(): Promise<string[]> {
    const log = await readWholeLog((after, limit) => this.events.readAll(after, limit));
    return [...foldProjections(log).groups.values()]
      .filter((g) => g.status === 'transform-failed')
      .map((g) => g.groupId);
  }

  /** retries the given groups (all failed ones when none is given), one after another */
  async execute(groupIds: readonly string[] = []): Promise<GroupRetry[]> {
    const ids = groupIds.length > 0 ? [...new Set(groupIds)] : await this.failedGroups();
    const results: GroupRetry[] = [];
    for (const groupId of ids) results.push(await this.retry(groupId));
    return results;
  }

  private async retry(groupId: string): Promise<GroupRetry> {
    const before = await groupState(this.events, groupId);
    if (before.status === 'initial') {
      return { groupId, outcome: 'skipped', status: 'unknown', reason: 'no such group' };
    }
    if (before.status !== 'transform-failed' || before.manifestKey === null) {
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
