// Whether a core is free for a worker thread: a worker pays only then. On a machine whose cores are
// all busy it adds its start and the bytes' encoding to the same cores, and it made the
// transform slower (measured at load averages of 4-9 on 2 cores, docs/performance.md).
// Measured over this process's own recent past, from the machine's CPU times: the 1-minute load
// average lags, and after a previous run it still reads "busy" on an idle machine.
import { type CpuInfo, cpus } from 'node:os';

const busyAndIdle = (c: CpuInfo): [number, number] => {
  const { user, nice, sys, idle, irq } = c.times;
  return [user + nice + sys + irq, idle];
};

/** cores idle on average between two readings of os.cpus() (0 when no time passed) */
export function idleCores(from: readonly CpuInfo[], to: readonly CpuInfo[]): number {
  let idle = 0;
  let total = 0;
  to.forEach((cpu, i) => {
    const before = from[i];
    if (before === undefined) return;
    const [busyTo, idleTo] = busyAndIdle(cpu);
    const [busyFrom, idleFrom] = busyAndIdle(before);
    idle += idleTo - idleFrom;
    total += busyTo + idleTo - (busyFrom + idleFrom);
  });
  return total > 0 ? (idle / total) * to.length : 0;
}

/**
 * A check answering whether at least half a core stayed idle since the check was made or last
 * asked (this process's own thread, busy meanwhile, is counted as busy: an idle core is one
 * nobody used).
 */
export function spareCoreSince(read: () => readonly CpuInfo[] = cpus): () => boolean {
  let from = read();
  return () => {
    const to = read();
    const idle = idleCores(from, to);
    from = to;
    return idle >= 0.5;
  };
}
