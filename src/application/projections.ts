// Read models folded from the log: file status and group status. The same fold serves `status`
// (over the whole log) and `replay` (compared with what the streams say one by one).
import type { RecordedEvent } from '../domain/events.js';
import {
  evolve,
  initialState,
  type GroupStatus,
  type GroupState,
} from '../domain/group-lifecycle.decider.js';

export interface FileView {
  readonly fileKey: string;
  readonly contentHash: string;
  readonly dataset: string | null;
  readonly status: 'landed' | 'rejected';
  readonly rows: number;
  readonly reason: string | null;
}

export interface GroupView {
  readonly groupId: string;
  readonly status: GroupStatus;
  readonly orderCount: number;
  readonly fileKey: string;
  readonly error: string | null;
  /** when the group's last event happened (ISO 8601): the age that makes it stuck */
  readonly lastEventAt: string;
}

export interface Projections {
  readonly files: Map<string, FileView>;
  readonly groups: Map<string, GroupView>;
}

export const emptyProjections = (): Projections => ({ files: new Map(), groups: new Map() });

const groupStates = new WeakMap<Projections, Map<string, GroupState>>();

export const applyEvent = (p: Projections, e: RecordedEvent): void => {
  switch (e.type) {
    case 'FileLanded':
    case 'FileRejected': {
      const d = e.data;
      p.files.set(d.contentHash, {
        fileKey: d.fileKey,
        contentHash: d.contentHash,
        dataset: d.dataset,
        status: e.type === 'FileLanded' ? 'landed' : 'rejected',
        rows: e.type === 'FileLanded' ? e.data.rows : 0,
        reason: e.type === 'FileRejected' ? e.data.reason : null,
      });
      return;
    }
    case 'OrdersStale':
      return;
    default: {
      const states = groupStates.get(p) ?? new Map<string, GroupState>();
      groupStates.set(p, states);
      const id = e.data.groupId;
      const next = evolve(states.get(id) ?? initialState(), e);
      states.set(id, next);
      const before = p.groups.get(id);
      p.groups.set(id, {
        groupId: id,
        status: next.status,
        orderCount: e.type === 'GroupCompleted' ? e.data.orderCount : (before?.orderCount ?? 0),
        fileKey: e.type === 'GroupCompleted' ? e.data.fileKey : (before?.fileKey ?? ''),
        error: next.lastError,
        lastEventAt: e.occurredAt,
      });
    }
  }
};

export const foldProjections = (events: Iterable<RecordedEvent>): Projections => {
  const p = emptyProjections();
  for (const e of events) applyEvent(p, e);
  return p;
};

/** the whole log, page by page */
export const readWholeLog = async (
  readAll: (after: number, limit?: number) => Promise<RecordedEvent[]>,
): Promise<RecordedEvent[]> => {
  const all: RecordedEvent[] = [];
  for (;;) {
    const page = await readAll(all.at(-1)?.position ?? 0, 1000);
    if (page.length === 0) return all;
    all.push(...page);
  }
};
