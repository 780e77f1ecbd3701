// The worker's spare-core check: idle cores between two readings of the machine's CPU times.
import type { CpuInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { idleCores, spareCoreSince } from '../../../src/adapters/node/spare-core.js';

const cpu = (busy: number, idle: number): CpuInfo => ({
  model: 'test',
  speed: 1,
  times: { user: busy, nice: 0, sys: 0, idle, irq: 0 },
});

describe('spare core', () => {
  it('counts the cores left idle between two readings', () => {
    // core 0 fully busy (this process), core 1 idle: one idle core
    expect(idleCores([cpu(0, 0), cpu(0, 0)], [cpu(1000, 0), cpu(0, 1000)])).toBe(1);
    // both busy (another process on the second core)
    expect(idleCores([cpu(0, 0), cpu(0, 0)], [cpu(1000, 0), cpu(900, 100)])).toBeCloseTo(0.1);
    expect(idleCores([cpu(5, 5)], [cpu(5, 5)])).toBe(0);
  });

  it('answers over the time since it was made, then since it last answered', () => {
    const readings = [
      [cpu(0, 0), cpu(0, 0)],
      [cpu(1000, 0), cpu(100, 900)], // 0.9 cores idle: spare
      [cpu(2000, 0), cpu(1000, 1000)], // then 0.1: none
    ];
    let at = 0;
    const spare = spareCoreSince(() => readings[at++] ?? []);
    expect([spare(), spare()]).toEqual([true, false]);
  });
});
