// A clock tests move by hand.
import type { Clock } from '../../ports/clock.port.js';

export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2024, 0, 1)) {}

  now(): number {
    return this.current;
  }

  set(epochMs: number): void {
    this.current = epochMs;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
