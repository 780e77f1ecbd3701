// Remembers, for every key of a whole file, the line it first appeared on: the memory behind
// unique.key and unique.order-product. Keys are numbered by KeySlots (no Map); the lines sit in
// a typed array indexed by slot. Pairs are kept per first part (PairLines), never joined into a
// new string.
import { KeySlots, roomFor } from '../key-slots.js';
import { PairLines } from './pair-lines.js';

export class FirstSeen {
  private readonly slots: KeySlots | null;
  private readonly pairs: PairLines | null;
  private lines: Uint32Array;

  /** `expected`: how many distinct keys to make room for up front; `pairs`: whether keys
   *  come in pairs (unique.order-product) */
  constructor(expected = 0, pairs = false) {
    this.slots = pairs ? null : new KeySlots(expected);
    this.pairs = pairs ? new PairLines(expected) : null;
    this.lines = new Uint32Array(pairs ? 0 : Math.max(16, expected));
  }

  /** the line `key` (or the pair `key`, `second`) first appeared on; or, when new, -1 after
   *  remembering `line` for it */
  firstLine(key: string, line: number, second = ''): number {
    if (this.pairs !== null) return this.pairs.firstLine(key, second, line);
    const slot = (this.slots as KeySlots).slotOf(key, second);
    if (slot >= 0) return this.lines[slot] as number;
    this.lines = roomFor(this.lines, ~slot);
    this.lines[~slot] = line;
    return -1;
  }
}
