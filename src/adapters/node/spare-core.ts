// Whether a core is free for one more worker thread: a worker pays only then. On a machine whose
// cores are all busy it adds its start and the bytes' encoding to the same cores, and it made the
// transform slower (measured at load averages of 4-9 on 2 cores, docs/performance.md).
//
// The cores are shared out as: the other processes' use, measured over this process's own recent
// past (the machine's CPU times minus this process's, all its threads: the 1-minute load average
// lags, and after a previous run it still reads "busy" on an idle machine); this thread; and the
// worker threads of this process busy now, counted by the components that start them
// (`workerBusy`). Counting this process's past use as "busy" instead (as a first version did)
// kept the transform's Delta worker off after every big landing: the landing had used both cores.
import { type CpuInfo, cpus } from 'node:os';

const busyAndIdle = (c: CpuInfo): [number, number] => {
  const { user, nice, sys, idle, irq } = c.times;
  return [user + nice + sys + irq, idle];
};

/** cores idle on average between two readings of os.cpus() (0 when no time passed) */
export function idleCores(from: readonly CpuInfo[], to: readonly CpuInfo[]): number {
  return coreUse(from, to).idle;
}

/** cores busy and idle on average between two readings, and the window's wall time (ms) */
function coreUse(
  from: readonly CpuInfo[],
  to: readonly CpuInfo[],
): { busy: number; idle: number; wallMs: number } {
  let idle = 0;
  let busy = 0;
  to.forEach((cpu, i) => {
    const before = from[i];
    if (before === undefined) return;
    const [busyTo, idleTo] = busyAndIdle(cpu);
    const [busyFrom, idleFrom] = busyAndIdle(before);
    idle += idleTo - idleFrom;
    busy += busyTo - busyFrom;
  });
  const total = idle + busy;
  if (total <= 0) return { busy: 0, idle: 0, wallMs: 0 };
  const cores = to.length;
  return { busy: (busy / total) * cores, idle: (idle / total) * cores, wallMs: total / cores };
}

let busyWorkers = 0;

/**
 * Counts one worker thread of this process as busy until the returned release is called (once
 * is enough; more calls do nothing).
 */
export function workerBusy(): () => void {
  busyWorkers += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    busyWorkers -= 1;
  };
}

/** worker threads of this process counted busy now */
export const busyWorkerCount = (): number => busyWorkers;

/** this process's CPU time so far, all threads, in ms */
const ownCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

export interface SpareCoreReadings {
  /** the machine's CPU times (os.cpus) */
  readonly cpus?: () => readonly CpuInfo[];
  /** this process's CPU time so far in ms, all threads */
  readonly ownCpuMs?: () => number;
  /** this process's worker threads busy now */
  readonly busyWorkers?: () => number;
}

/**
 * A check answering whether at least half a core is left for one more worker, since the check
 * was made or last asked: the cores, less the other processes' average use over that window,
 * less this thread, less this process's worker threads busy now.
 */
export function spareCoreSince(readings: SpareCoreReadings = {}): () => boolean {
  const read = readings.cpus ?? cpus;
  const own = readings.ownCpuMs ?? ownCpuMs;
  const workers = readings.busyWorkers ?? busyWorkerCount;
  let from = read();
  let ownFrom = own();
  return () => {
    const to = read();
    const ownTo = own();
    const use = coreUse(from, to);
    const ownCores = use.wallMs > 0 ? (ownTo - ownFrom) / use.wallMs : 0;
    // clamped: the two clocks are read apart, and os.cpus() counts in ticks
    const others = Math.max(0, use.busy - ownCores);
    from = to;
    ownFrom = ownTo;
    return to.length - others - 1 - workers() >= 0.5;
  };
}
