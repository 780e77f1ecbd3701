// A group is stuck when no workflow can still be running for it and none will start: its last
// event is older than the longest life of its workflow, and its status is not terminal. This
// happens when a GroupCompleted never started an execution (every receive of its publish failed)
// or an execution hit the state machine's TimeoutSeconds (no Catch runs then, so no
// TransformFailed is recorded). Without this rule such a group waits forever, unseen.
import type { GroupStatus } from '../domain/group-lifecycle.decider.js';

/** the group state machine's top-level TimeoutSeconds (infra/state-machine/pipeline.asl.json;
 *  infra/test/asl-lint.test.ts checks it against the synthesised template) */
export const WORKFLOW_TIMEOUT_SECONDS = 21_600;

/** how late the execution may start after its GroupCompleted was stored: the landing queue's
 *  4 redeliveries 30 min apart (the append is kept, the publish redone) plus the events queue's
 *  4 redeliveries 3 min apart for StartExecution (docs/deploy.md; checked against the template) */
export const PUBLISH_REDELIVERY_SECONDS = 4 * 1_800 + 4 * 180;

/** past this age of its last event a non-terminal group is stuck (8 h 12 min) */
export const STUCK_AFTER_MS = (WORKFLOW_TIMEOUT_SECONDS + PUBLISH_REDELIVERY_SECONDS) * 1_000;

const TERMINAL: ReadonlySet<GroupStatus> = new Set([
  'archived',
  'validation-failed',
  'transform-failed',
]);

/** true when the status is final (nothing runs after it without an operator) */
export const isTerminal = (status: GroupStatus): boolean => TERMINAL.has(status);

/** whether a group of that status, whose last event happened at lastEventAt (ISO 8601), is
 *  stuck at `now` (epoch ms): non-terminal and silent for more than STUCK_AFTER_MS */
export const isStuck = (
  group: { readonly status: GroupStatus; readonly lastEventAt: string },
  now: number,
  stuckAfterMs: number = STUCK_AFTER_MS,
): boolean =>
  group.status !== 'initial' &&
  !isTerminal(group.status) &&
  now - Date.parse(group.lastEventAt) > stuckAfterMs;
