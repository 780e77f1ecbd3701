// MemoryReclaim through V8's own full collection. `gc` is exposed to a fresh context at runtime
// (the --expose-gc flag set by setFlagsFromString), so no command line or NODE_OPTIONS change is
// needed in the CLI, the Lambda or the ECS task.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { MemoryReclaim } from '../../ports/memory-reclaim.port.js';

export class V8MemoryReclaim implements MemoryReclaim {
  private readonly gc: () => void;

  constructor() {
    setFlagsFromString('--expose-gc');
    this.gc = runInNewContext('gc') as () => void;
  }

  async reclaim(): Promise<void> {
    // a WeakRef's target read during a job stays alive until the job ends: the group manifest
    // reader keeps the completion columns (~200 MB at 3M items) behind one, read just before
    // the Transform's first reclaim, so collecting within that job would keep them
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.gc();
  }
}
