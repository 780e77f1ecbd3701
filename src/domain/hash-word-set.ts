// A set of 64-bit content hashes, each held as two 32-bit words (hi, lo), in one open-addressing
// table of typed arrays: the rows a group wants of a staged file. A Set<string> of 16-hex-char
// hashes cost a string (~32 bytes) plus a table entry per wanted row; here an entry is 9 bytes
// and a lookup hashes nothing (the words are a hash already). Entries are only added and then
// taken (each at most once); a taken entry stays in the table, so probes still pass it.

/** the size of a table for `capacity` hashes: a power of two, at most half full (short probes) */
export const tableSlots = (capacity: number): number => {
  let slots = 16;
  while (slots < capacity * 2) slots *= 2;
  return slots;
};

/**
 * where a hash's probe starts in a table of mask + 1 slots: the words are already well mixed;
 * hi is folded in so hashes equal in lo spread too
 */
export const firstSlot = (hi: number, lo: number, mask: number): number =>
  (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;

const EMPTY = 0;
const PRESENT = 1;
const TAKEN = 2;

export class HashWordSet {
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  private readonly state: Uint8Array;
  private readonly mask: number;
  private present = 0;
  /** positions in use, taken ones included */
  private occupied = 0;

  /** `capacity`: the most entries it will hold (it does not grow) */
  constructor(capacity: number) {
    const slots = tableSlots(capacity);
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.state = new Uint8Array(slots);
    this.mask = slots - 1;
  }

  /** entries added and not taken */
  get size(): number {
    return this.present;
  }

  /** adds the hash (a hash added twice is held once); throws beyond the capacity */
  add(hi: number, lo: number): void {
    const at = this.probe(hi >>> 0, lo >>> 0);
    if (this.state[at] !== EMPTY) return;
    if (this.occupied * 2 + 2 > this.state.length) throw new RangeError('HashWordSet is full');
    this.hi[at] = hi;
    this.lo[at] = lo;
    this.state[at] = PRESENT;
    this.present++;
    this.occupied++;
  }

  has(hi: number, lo: number): boolean {
    return this.state[this.probe(hi >>> 0, lo >>> 0)] === PRESENT;
  }

  /** takes the hash out: true when it was held (and not taken before) */
  take(hi: number, lo: number): boolean {
    const at = this.probe(hi >>> 0, lo >>> 0);
    if (this.state[at] !== PRESENT) return false;
    this.state[at] = TAKEN;
    this.present--;
    return true;
  }

  /** the position holding the hash (present or taken), or the empty one where it would go */
  private probe(hi: number, lo: number): number {
    const mask = this.mask;
    for (let at = firstSlot(hi, lo, mask); ; at = (at + 1) & mask) {
      if (this.state[at] === EMPTY || (this.lo[at] === lo && this.hi[at] === hi)) return at;
    }
  }
}
