// The local state machine's engine loaded when it is first needed. aws-local-stepfunctions and
// what it loads (ajv, jsonata, the AWS SDK's Lambda client: ~150 modules) took ~0.2 s of every
// CLI start, before the first file was even read, and most commands (status, kpis, report) never
// run a workflow. It is loaded at the first start, or earlier by `load()`, which the local
// composition calls while a big landing waits for its register (StagedFilePrefetch's `alsoAhead`).
import type { GroupTaskInput, WorkflowStart, WorkflowStarter } from '../../ports/workflow.port.js';

export class LazyWorkflowStarter implements WorkflowStarter {
  private starter: Promise<WorkflowStarter> | undefined;

  constructor(private readonly make: () => Promise<WorkflowStarter>) {}

  /** the engine, loaded once (a load that failed is tried again at the next call) */
  load(): Promise<WorkflowStarter> {
    if (this.starter === undefined) {
      const loading = this.make();
      this.starter = loading;
      loading.catch(() => {
        if (this.starter === loading) this.starter = undefined;
      });
    }
    return this.starter;
  }

  async start(input: GroupTaskInput): Promise<WorkflowStart> {
    return (await this.load()).start(input);
  }
}
