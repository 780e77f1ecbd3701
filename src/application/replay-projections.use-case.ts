// Rebuilds every projection from the log alone and compares it with the live one: file and group
// status (folded from the whole log vs read stream by stream) and pending orders (the completion
// decider replayed over the staged rows of every FileLanded vs the reference index).
import { currentVerdict } from './landing-dedupe.js';
import {
  fileStreamId,
  groupStreamId,
  type FileLanded,
  type RecordedEvent,
} from '../domain/events.js';
import { replayGroup } from '../domain/group-lifecycle.decider.js';
import {
  completionOf,
  evolve,
  initialState,
  lacksOf,
  type CompletionState,
} from '../domain/order-completion.decider.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import type { PendingOrder, ReferenceIndex } from '../ports/reference-index.port.js';
import type { StagingCodec } from '../ports/staging-codec.port.js';
import { stagedLandingKeys } from './staged-landing-keys.js';
import { foldProjections, readWholeLog } from './projections.js';

export interface ReplayReport {
  readonly events: number;
  readonly files: number;
  readonly groups: number;
  readonly pendingOrders: number;
  /** empty when every rebuilt projection equals the live one */
  readonly differences: readonly string[];
}

const pendingKey = (p: Omit<PendingOrder, 'firstSeenAt'>): string =>
  JSON.stringify([
    p.orderId,
    p.hasOrderRow,
    p.expectedItems,
    p.landedItems,
    [...p.missingProducts].sort(),
  ]);

export class ReplayProjections {
  constructor(
    private readonly events: EventStore,
    private readonly index: ReferenceIndex,
    private readonly objects: ObjectStore,
    private readonly staging: StagingCodec,
  ) {}

  async execute(): Promise<ReplayReport> {
    const log = await readWholeLog((after, limit) => this.events.readAll(after, limit));
    const rebuilt = foldProjections(log);
    const differences: string[] = [];
    for (const [hash, file] of rebuilt.files) {
      const live = currentVerdict(await this.events.readStream(fileStreamId(hash)));
      const liveStatus =
        live?.type === 'FileLanded'
          ? 'landed'
          : live?.type === 'FileRejected'
            ? 'rejected'
            : 'none';
      if (liveStatus !== file.status)
        differences.push(`file ${file.fileKey}: live ${liveStatus}, replayed ${file.status}`);
    }
    for (const [groupId, group] of rebuilt.groups) {
      const live = replayGroup(await this.events.readStream(groupStreamId(groupId)));
      if (live.status !== group.status) {
        differences.push(`group ${groupId}: live ${live.status}, replayed ${group.status}`);
      }
    }
    const replayedPending = await this.replayPending(log);
    const livePending = await this.index.pending();
    const liveKeys = new Set(livePending.map(pendingKey));
    const replayedKeys = new Set(replayedPending.map(pendingKey));
    for (const k of liveKeys)
      if (!replayedKeys.has(k)) differences.push(`pending order only live: ${k}`);
    for (const k of replayedKeys)
      if (!liveKeys.has(k)) differences.push(`pending order only replayed: ${k}`);
    return {
      events: log.length,
      files: rebuilt.files.size,
      groups: rebuilt.groups.size,
      pendingOrders: replayedPending.length,
      differences,
    };
  }

  /** the completion decider over every landed file's staged keys, in log order */
  private async replayPending(log: readonly RecordedEvent[]): Promise<PendingOrder[]> {
    let state: CompletionState = initialState();
    for (const e of log) {
      if (e.type !== 'FileLanded') continue;
      const landed = e as RecordedEvent<FileLanded>;
      const now = Date.parse(landed.occurredAt);
      // which orders are pending depends on the landed rows alone, not on completions reported
      const rows = await stagedLandingKeys(this.objects, this.staging, landed);
      state = evolve(state, { type: 'RowsLanded', rows, now });
    }
    const pending: PendingOrder[] = [];
    for (const orderId of [...state.orders.keys()].sort()) {
      if (completionOf(state, orderId) !== null) continue;
      const lacks = lacksOf(state, orderId);
      if (lacks !== null) pending.push(lacks);
    }
    return pending;
  }
}
