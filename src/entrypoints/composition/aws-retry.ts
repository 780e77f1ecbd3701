// `retry --aws`: a new execution per failed group, named for the attempt (a Standard workflow's
// name is taken for 90 days, and a redrive of an execution that ended in Fail fails again).
import type { Container } from 'inversify';
import type { SfnWorkflowStarter } from '../../adapters/sfn/sfn-workflow-starter.js';
import { groupState } from '../../application/event-log.js';
import type { RetryGroups } from '../../application/retry-groups.use-case.js';
import { EVENT_STORE, type EventStore } from '../../ports/event-store.port.js';
import { TOKENS } from './tokens.js';

/** One group's retry on AWS: the execution started for it, or why none was. */
export interface AwsRetry {
  readonly groupId: string;
  /** the group's status in the log when the retry was asked for */
  readonly status: string;
  readonly executionName: string | null;
  readonly reason: string | null;
  /** set when the group was taken up because it was stuck: the time of its last event */
  readonly stuckSince: string | null;
}

// Groups a retry cannot help. Any other named group is retried: transform-failed, or one whose
// execution timed out or was aborted before RecordFailure ran (the operator checks that none
// is still running). Without names, the transform-failed and the stuck groups of the log are
// retried (application/stuck-groups.ts: no execution of a stuck group can still be running).
const NOT_RETRIED: Record<string, string> = {
  initial: 'no such group',
  archived: 'already processed',
  'validation-failed':
    'validation failed: correct the data and land the files again (retry does not help)',
};

export const retryGroupsOn =
  (container: Container, starter: SfnWorkflowStarter | null) =>
  async (groupIds: readonly string[], attempt: string): Promise<AwsRetry[]> => {
    if (starter === null) throw new Error('STATE_MACHINE_ARN is not set: cannot start executions');
    const events = container.get<EventStore>(EVENT_STORE);
    const retryable = await container.get<RetryGroups>(TOKENS.RetryGroups).retryableGroups();
    const stuck = new Map(retryable.map((g) => [g.groupId, g.stuckSince]));
    const ids = groupIds.length > 0 ? [...new Set(groupIds)] : retryable.map((g) => g.groupId);
    const out: AwsRetry[] = [];
    for (const groupId of ids) {
      const { status, manifestKey } = await groupState(events, groupId);
      const stuckSince = stuck.get(groupId) ?? null;
      const refused = NOT_RETRIED[status] ?? (manifestKey === null ? 'no manifest' : null);
      if (refused !== null || manifestKey === null) {
        out.push({ groupId, status, executionName: null, reason: refused, stuckSince });
        continue;
      }
      const started = await starter.retry({ groupId, manifestKey }, attempt);
      out.push({ groupId, status, executionName: started.executionName, reason: null, stuckSince });
    }
    return out;
  };
