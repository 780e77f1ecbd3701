// MemoryReclaim through V8's own full collection. `gc` is exposed to a fresh context at runtime
// (the --expose-gc flag set by setFlagsFromString), so no command line or NODE_OPTIONS change is
// needed in the CLI, the Lambda or the ECS task.
import { GCProfiler, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { MemoryReclaim } from '../../ports/memory-reclaim.port.js';

/**
 * Once the current job is over. A WeakRef's target read during a job stays alive until the job
 * ends: the group manifest reader keeps the completion columns (~200 MB at 3M items) behind one,
 * read just before the Transform's first reclaim, so collecting within that job would keep them.
 */
const nextJob = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

export class V8MemoryReclaim implements MemoryReclaim {
  private readonly gc: () => void;

  constructor() {
    setFlagsFromString('--expose-gc');
    this.gc = runInNewContext('gc') as () => void;
  }

  async reclaim(): Promise<void> {
    await nextJob();
    this.gc();
  }

  async reclaimAround<T>(make: () => T): Promise<T> {
    await nextJob();
    // V8's own collections while `make` runs, told synchronously when the profiler stops
    const profiler = new GCProfiler();
    profiler.start();
    try {
      return make();
    } finally {
      const { statistics } = profiler.stop();
      if (!statistics.some((s) => s.gcType === 'MarkSweepCompact')) this.gc();
    }
  }
}
