// A register's timeline, for measuring only: with SHOP_PIPELINE_REGISTER_TRACE set (off by
// default), each phase's wall and thread CPU time is written to stderr as one JSON line per
// landing. Thread CPU from /proc/thread-self/stat (Linux; 10 ms ticks), so a worker's own work is
// told apart from the machine's other load.
import { readFileSync } from 'node:fs';

const enabled = (process.env['SHOP_PIPELINE_REGISTER_TRACE'] ?? '') !== '';

const threadCpuMs = (): number => {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime: fields 14 and 15 of stat, 12 and 13 after the name
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
};

interface Phase {
  wallMs: number;
  cpuMs: number;
  n: number;
}

export class RegisterTrace {
  private readonly phases = new Map<string, Phase>();
  private readonly started = performance.now();
  private last = performance.now();
  private lastCpu = threadCpuMs();
  private readonly events: [string, number, number][] = [];

  /** the time since the last mark goes to `phase` */
  mark(phase: string): void {
    const now = performance.now();
    const cpu = threadCpuMs();
    const p = this.phases.get(phase) ?? { wallMs: 0, cpuMs: 0, n: 0 };
    p.wallMs += now - this.last;
    p.cpuMs += cpu - this.lastCpu;
    p.n++;
    this.phases.set(phase, p);
    this.events.push([phase, Math.round(this.last - this.started), Math.round(now - this.last)]);
    this.last = now;
    this.lastCpu = cpu;
  }

  write(label: string): void {
    const phases = Object.fromEntries(
      [...this.phases].map(([k, p]) => [
        k,
        { wall_ms: Math.round(p.wallMs), cpu_ms: p.cpuMs, n: p.n },
      ]),
    );
    process.stderr.write(
      `${JSON.stringify({ register_trace: label, phases, timeline: this.events })}\n`,
    );
  }
}

/** a trace when SHOP_PIPELINE_REGISTER_TRACE is set, else undefined */
export const registerTrace = (): RegisterTrace | undefined =>
  enabled ? new RegisterTrace() : undefined;
