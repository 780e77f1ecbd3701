// A hint from a use case that it has just dropped a big block of memory (a group's decoded
// staged rows, ~1 GB of heap at 3M items): the runtime may reclaim it now. Left to itself, V8
// collects when its heap next fills, so that garbage sat under the Transform's peak: measured
// at 3M, the run's peak RSS moved by ~350 MB with nothing but the timing of one collection.
export interface MemoryReclaim {
  /**
   * reclaims unreachable memory (a full collection; a fraction of a second) once the current
   * job is over: what the caller read through a WeakRef in it counts as unreachable too
   */
  reclaim(): Promise<void>;
}

export const MEMORY_RECLAIM = Symbol.for('MemoryReclaim');
