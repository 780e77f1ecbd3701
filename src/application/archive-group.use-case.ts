// Workflow stage Archive: raw files whose orders are all processed move from incoming/ to
// archive/ (copy, then delete: a crash in between leaves a copy to finish, never a loss). The
// copy happens inside the object store (S3 CopyObject): no raw file passes through the function,
// whatever its size. Products files go too: their rows live on staged, where later groups read
// them. Only the manifest's file list is read (not its completions: ~70 MB of JSON at 1M items),
// and a few files are moved at once (the embedded bucket gzips each on the threadpool).
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { stepNeed } from '../domain/group-lifecycle.decider.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventBus } from '../ports/event-bus.port.js';
import type { EventStore } from '../ports/event-store.port.js';
import { ObjectNotFound, type ObjectStore } from '../ports/object-store.port.js';
import type { ReferenceIndex } from '../ports/reference-index.port.js';
import type { TaskResult } from '../ports/task-runner.port.js';
import type { GroupTaskInput } from '../ports/workflow.port.js';
import { groupErrorMessage, groupState, isoAt, runGroupCommand } from './event-log.js';
import { readManifestFiles, type WorkflowDataError } from './group-manifest-reader.js';

/** files moved at once: S3 copies in parallel; the file system gzips on both cores */
const MOVES_AT_ONCE = 3;

export const archiveKeyFor = (fileKey: string): string =>
  `archive/${fileKey.replace(/^incoming\//, '')}`;

export class ArchiveGroup {
  constructor(
    private readonly objects: ObjectStore,
    private readonly events: EventStore,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly index: ReferenceIndex,
  ) {}

  async execute(input: GroupTaskInput): Promise<Either<WorkflowDataError, TaskResult>> {
    const { groupId, manifestKey } = input;
    const done = right({ groupId, manifestKey, ok: true });
    const probe = { type: 'ArchiveGroup', data: { groupId, files: [] } } as const;
    const need = stepNeed(probe, await groupState(this.events, groupId));
    if (need._tag === 'done') return done;
    if (need._tag === 'refused') {
      return left({ _tag: 'InvalidTransition', message: groupErrorMessage(need.error) });
    }
    const manifest = await readManifestFiles(this.objects, manifestKey, groupId);
    if (isLeft(manifest)) return manifest;
    // a row location's key is the raw file it landed in
    const candidates = [...new Set(manifest.right.files.map(([key]) => key))].sort();
    const files = await this.index.filesWhollyCompleted(candidates);
    const queue = [...files];
    const mover = async (): Promise<void> => {
      for (let fileKey = queue.shift(); fileKey !== undefined; fileKey = queue.shift()) {
        if (await this.moved(fileKey)) await this.objects.delete(fileKey);
      }
    };
    // every mover finishes before the step answers, so a retry never races a move still under way
    const moves = await Promise.allSettled(
      Array.from({ length: Math.min(MOVES_AT_ONCE, queue.length) }, mover),
    );
    for (const move of moves) if (move.status === 'rejected') throw move.reason;
    const recorded = await runGroupCommand(
      this.events,
      this.bus,
      { type: 'ArchiveGroup', data: { groupId, files } },
      isoAt(this.clock.now()),
    );
    if (isLeft(recorded)) {
      return left({ _tag: 'InvalidTransition', message: groupErrorMessage(recorded.left) });
    }
    return done;
  }

  /**
   * Tells the object store which copies execute will most likely make (the group's raw files
   * wholly completed now), so a store whose copy is costly can do it ahead while the group's
   * other steps run (the embedded bucket gzips on an idle core). Only a hint: execute decides
   * again and moves as always; this reads nothing when the store takes no hints, and never
   * fails.
   */
  async prepare(input: GroupTaskInput): Promise<void> {
    if (this.objects.prepareCopy === undefined) return;
    try {
      const manifest = await readManifestFiles(this.objects, input.manifestKey, input.groupId);
      if (isLeft(manifest)) return;
      const candidates = [...new Set(manifest.right.files.map(([key]) => key))].sort();
      for (const fileKey of await this.index.filesWhollyCompleted(candidates))
        this.objects.prepareCopy(fileKey, archiveKeyFor(fileKey));
    } catch {
      // the moves are made, at their own cost, by execute
    }
  }

  /** copies a raw file to archive/; false when it is gone (moved by an earlier attempt) */
  private async moved(fileKey: string): Promise<boolean> {
    try {
      await this.objects.copy(fileKey, archiveKeyFor(fileKey));
      return true;
    } catch (error) {
      if (error instanceof ObjectNotFound) return false;
      throw error;
    }
  }
}
