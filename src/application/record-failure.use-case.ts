// The workflow's failure path: a stage failed for good, so the group records TransformFailed
// (its orders stay out of the KPIs until the group is run again or replaced).
import type { Clock } from '../ports/clock.port.js';
import type { EventBus } from '../ports/event-bus.port.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { TaskResult } from '../ports/task-runner.port.js';
import type { GroupTaskInput } from '../ports/workflow.port.js';
import { groupErrorMessage, isoAt, runGroupCommand } from './event-log.js';

export class RecordFailure {
  constructor(
    private readonly events: EventStore,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async execute(input: GroupTaskInput & { readonly error?: string }): Promise<TaskResult> {
    const { groupId, manifestKey } = input;
    const error = input.error ?? 'unknown error';
    const recorded = await runGroupCommand(
      this.events,
      this.bus,
      { type: 'RecordTransformFailure', data: { groupId, error } },
      isoAt(this.clock.now()),
    );
    // e.g. Archive failed after Transformed: the KPIs are right, only the move is missing
    if (recorded._tag === 'Left') {
      this.logger.warn('failure not recorded on the group', {
        groupId,
        error,
        reason: groupErrorMessage(recorded.left),
      });
    }
    return { groupId, manifestKey, ok: true };
  }
}
