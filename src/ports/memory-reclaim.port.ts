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
  /**
   * `make()` (what the caller's next step allocates) and a reclaim, in whichever way leaves no
   * wasted collection: made after a full collection, a big allocation can cross the limit that
   * collection set and start another that finds nothing to free (the Transform's join at 1M
   * items: 100-145 ms). So `make` runs once the current job is over, and reclaim() follows
   * unless the runtime collected in full during `make` (which then freed the same memory).
   * Optional: without it, a caller reclaims and then makes.
   */
  reclaimAround?<T>(make: () => T): Promise<T>;
}

export const MEMORY_RECLAIM = Symbol.for('MemoryReclaim');
