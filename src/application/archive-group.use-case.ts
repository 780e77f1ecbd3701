// Workflow stage Archive: raw files whose orders are all processed move from incoming/ to
// archive/ (copy, then delete: a crash in between leaves a copy to finish, never a loss). The
// copy happens inside the object store (S3 CopyObject): no raw file passes through the function,
// whatever its size. Products files go too: their rows live on staged, where later groups read
// them.
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
import { readManifest, type WorkflowDataError } from './group-manifest-reader.js';

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
    const manifest = await readManifest(this.objects, manifestKey, groupId);
    if (isLeft(manifest)) return manifest;
    // a row location's key is the raw file it landed in
    const candidates = [...new Set(manifest.right.completions.files.map(([key]) => key))].sort();
    const files = await this.index.filesWhollyCompleted(candidates);
    for (const fileKey of files) {
      if (!(await this.moved(fileKey))) continue;
      await this.objects.delete(fileKey);
    }
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
