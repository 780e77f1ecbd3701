// The worker's spare-core check: the cores left once the other processes, this thread and this
// process's busy workers are counted, between two readings of the machine's CPU times.
import type { CpuInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  busyWorkerCount,
  idleCores,
  spareCoreSince,
  workerBusy,
} from '../../../src/adapters/node/spare-core.js';

const cpu = (busy: number, idle: number): CpuInfo => ({
  model: 'test',
  speed: 1,
  times: { user: busy, nice: 0, sys: 0, idle, irq: 0 },
});

/** a check over scripted readings: machine CPU times, this process's CPU ms, busy workers */
const scripted = (steps: { cpus: CpuInfo[]; ownMs: number; workers?: number }[]) => {
  let at = 0;
  let own = 0;
  const check = spareCoreSince({
    cpus: () => {
      const step = steps[at++];
      own = step?.ownMs ?? 0;
      return step?.cpus ?? [];
    },
    ownCpuMs: () => own,
    busyWorkers: () => steps[at - 1]?.workers ?? 0,
  });
  return () => check();
};

describe('spare core', () => {
  it('counts the cores left idle between two readings', () => {
    // core 0 fully busy (this process), core 1 idle: one idle core
    expect(idleCores([cpu(0, 0), cpu(0, 0)], [cpu(1000, 0), cpu(0, 1000)])).toBe(1);
    // both busy (another process on the second core)
    expect(idleCores([cpu(0, 0), cpu(0, 0)], [cpu(1000, 0), cpu(900, 100)])).toBeCloseTo(0.1);
    expect(idleCores([cpu(5, 5)], [cpu(5, 5)])).toBe(0);
  });

  it("does not count this process's own past use against a worker", () => {
    // 1 s on 2 cores, both busy, all of it this process (a landing with its worker): spare now
    const spare = scripted([
      { cpus: [cpu(0, 0), cpu(0, 0)], ownMs: 0 },
      { cpus: [cpu(1000, 0), cpu(1000, 0)], ownMs: 2000 },
    ]);
    expect(spare()).toBe(true);
  });

  it('answers no when other processes used the second core, since it was made or last asked', () => {
    const spare = scripted([
      { cpus: [cpu(0, 0), cpu(0, 0)], ownMs: 0 },
      // this process 1 core, another 0.1: spare
      { cpus: [cpu(1000, 0), cpu(100, 900)], ownMs: 1000 },
      // this process 1 core, another 0.9: none
      { cpus: [cpu(2000, 0), cpu(1000, 1000)], ownMs: 2000 },
      // then this process idle, another process on 1.6 cores: none
      { cpus: [cpu(2800, 200), cpu(1800, 1200)], ownMs: 2000 },
    ]);
    expect([spare(), spare(), spare()]).toEqual([true, false, false]);
  });

  it("counts this process's busy workers against the cores", () => {
    const spare = scripted([
      { cpus: [cpu(0, 0), cpu(0, 0)], ownMs: 0 },
      { cpus: [cpu(1000, 0), cpu(0, 1000)], ownMs: 1000, workers: 1 },
      { cpus: [cpu(2000, 0), cpu(0, 2000)], ownMs: 2000, workers: 0 },
    ]);
    expect([spare(), spare()]).toEqual([false, true]);
  });

  it('counts a busy worker until it is released, once', () => {
    const before = busyWorkerCount();
    const release = workerBusy();
    expect(busyWorkerCount()).toBe(before + 1);
    release();
    release();
    expect(busyWorkerCount()).toBe(before);
  });

  it('never finds a spare core on a machine of one', () => {
    const spare = scripted([
      { cpus: [cpu(0, 0)], ownMs: 0 },
      { cpus: [cpu(0, 1000)], ownMs: 0 },
    ]);
    expect(spare()).toBe(false);
  });
});
