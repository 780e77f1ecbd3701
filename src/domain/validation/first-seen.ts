// Remembers, for every key of a whole file, the line it first appeared on: the memory behind
// unique.key and unique.order-product. The keys are numbered by KeySlots (no Map, and a pair is
// never joined into a new string); the lines sit in a typed array indexed by slot.
import { KeySlots, roomFor } from './key-slots.js';

export class FirstSeen {
  private readonly slots: KeySlots;
  private lines: Uint32Array;

  /** `expected`: how many distinct keys to make room for up front; `pairs`: whether keys
   *  come in pairs (unique.order-product) */
  constructor(expected = 0, pairs = false) {
    this.slots = new KeySlots(expected, pairs);
    this.lines = new Uint32Array(Math.max(16, expected));
  }

  /** the line `key` (or the pair `key`, `second`) first appeared on; or, when new, -1 after
   *  remembering `line` for it */
  firstLine(key: string, line: number, second = ''): number {
    const slot = this.slots.slotOf(key, second);
    if (slot >= 0) return this.lines[slot] as number;
    this.lines = roomFor(this.lines, ~slot);
    this.lines[~slot] = line;
    return -1;
  }
}
