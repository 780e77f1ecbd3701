// Drives the workflow from the event log, not from a checkpoint: every group whose workflow has
// not reached an end (completed, validated or transformed, but not archived, rejected or failed)
// is started, in the order the groups completed. So where the dispatcher stands is a fold of the
// log: a process killed at any point starts the same unfinished groups on the next run (each
// workflow step is idempotent), and nothing outside the log needs rebuilding.
import type { GroupStatus } from '../domain/group-lifecycle.decider.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { WorkflowStarter } from '../ports/workflow.port.js';
import { foldProjections, readWholeLog } from './projections.js';

/** a workflow that started (or should have) and has not ended */
const UNFINISHED: ReadonlySet<GroupStatus> = new Set(['completed', 'validated', 'transformed']);

export class DispatchGroups {
  constructor(
    private readonly events: EventStore,
    private readonly workflow: WorkflowStarter,
  ) {}

  /** the groups the next run would start, in completion order */
  async undispatched(): Promise<{ groupId: string; manifestKey: string }[]> {
    const log = await readWholeLog((after, limit) => this.events.readAll(after, limit));
    const manifests = new Map<string, string>();
    for (const e of log)
      if (e.type === 'GroupCompleted') manifests.set(e.data.groupId, e.data.manifestKey);
    return [...foldProjections(log).groups.values()]
      .filter((g) => UNFINISHED.has(g.status))
      .map((g) => ({ groupId: g.groupId, manifestKey: manifests.get(g.groupId) ?? '' }));
  }

  /** starts the workflow of every unfinished group once; returns the group ids started */
  async execute(): Promise<string[]> {
    const started: string[] = [];
    for (const group of await this.undispatched()) {
      await this.workflow.start(group);
      started.push(group.groupId);
    }
    return started;
  }
}
