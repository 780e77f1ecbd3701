// Drives the workflow from the event log, not from memory: every GroupCompleted after the
// persisted checkpoint starts the group's workflow. The checkpoint moves only after a start
// returned, so a process killed at any point starts the same groups again on the next run
// (each workflow step is idempotent).
import type { ObjectStore } from '../ports/object-store.port.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { WorkflowStarter } from '../ports/workflow.port.js';

export const DISPATCH_CHECKPOINT_KEY = 'state/dispatcher/checkpoint.json';

export class DispatchGroups {
  constructor(
    private readonly events: EventStore,
    private readonly objects: ObjectStore,
    private readonly workflow: WorkflowStarter,
  ) {}

  async position(): Promise<number> {
    const bytes = await this.objects.get(DISPATCH_CHECKPOINT_KEY);
    if (bytes === null) return 0;
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    const position = (parsed as { position?: unknown }).position;
    return typeof position === 'number' ? position : 0;
  }

  /** runs until the log has no unseen GroupCompleted; returns the group ids started */
  async execute(): Promise<string[]> {
    let position = await this.position();
    const started: string[] = [];
    for (;;) {
      const page = await this.events.readAll(position, 200);
      if (page.length === 0) return started;
      for (const event of page) {
        if (event.type === 'GroupCompleted') {
          await this.workflow.start({
            groupId: event.data.groupId,
            manifestKey: event.data.manifestKey,
          });
          started.push(event.data.groupId);
          await this.save(event.position);
        }
        position = event.position;
      }
      await this.save(position);
    }
  }

  private save(position: number): Promise<void> {
    return this.objects.put(DISPATCH_CHECKPOINT_KEY, JSON.stringify({ position }));
  }
}
