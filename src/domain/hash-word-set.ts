// A set of 64-bit content hashes, each held as two 32-bit words (hi, lo), in one open-addressing
// table of typed arrays: the rows a group wants of a staged file. A Set<string> of 16-hex-char
// hashes cost a string (~32 bytes) plus a table entry per wanted row; here an entry is 8 bytes and 2 bits
// and a lookup hashes nothing (the words are a hash already). Entries are only added and then
// taken (each at most once); a taken entry stays in the table, so probes still pass it.

const EMPTY = 0;
const PRESENT = 1;
const TAKEN = 2;

export class HashWordSet {
  /** per position its hash's words side by side (hi, lo): a probe reads one cache line, where
   *  three arrays (hi, lo, state) cost up to three misses a probe (~0.25 s of a 1M-item
   *  Validate, adding and taking 2.3M hashes) */
  private readonly words: Uint32Array;
  /** per position 2 bits (EMPTY, PRESENT, TAKEN): 2 MB for 8M positions, mostly in cache */
  private readonly state: Uint8Array;
  private readonly mask: number;
  private present = 0;
  /** positions in use, taken ones included */
  private occupied = 0;

  /** `capacity`: the most entries it will hold (it does not grow) */
  constructor(capacity: number) {
    let slots = 16;
    // at most half full, so probes stay short
    while (slots < capacity * 2) slots *= 2;
    this.words = new Uint32Array(2 * slots);
    this.state = new Uint8Array(slots >>> 2);
    this.mask = slots - 1;
  }

  /** entries added and not taken */
  get size(): number {
    return this.present;
  }

  /** adds the hash (a hash added twice is held once); throws beyond the capacity */
  add(hi: number, lo: number): void {
    const at = this.probe(hi >>> 0, lo >>> 0);
    if (this.stateAt(at) !== EMPTY) return;
    if (this.occupied * 2 + 2 > this.mask + 1) throw new RangeError('HashWordSet is full');
    this.words[2 * at] = hi;
    this.words[2 * at + 1] = lo;
    this.setState(at, PRESENT);
    this.present++;
    this.occupied++;
  }

  has(hi: number, lo: number): boolean {
    return this.stateAt(this.probe(hi >>> 0, lo >>> 0)) === PRESENT;
  }

  /** takes the hash out: true when it was held (and not taken before) */
  take(hi: number, lo: number): boolean {
    const at = this.probe(hi >>> 0, lo >>> 0);
    if (this.stateAt(at) !== PRESENT) return false;
    this.setState(at, TAKEN);
    this.present--;
    return true;
  }

  private stateAt(at: number): number {
    return ((this.state[at >>> 2] as number) >>> ((at & 3) << 1)) & 3;
  }

  private setState(at: number, state: number): void {
    const shift = (at & 3) << 1;
    const i = at >>> 2;
    this.state[i] = ((this.state[i] as number) & ~(3 << shift)) | (state << shift);
  }

  /** the position holding the hash (present or taken), or the empty one where it would go */
  private probe(hi: number, lo: number): number {
    const { mask, words, state } = this;
    // the words are already well mixed; fold hi in so hashes equal in lo spread too
    for (let at = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; at = (at + 1) & mask) {
      if ((((state[at >>> 2] as number) >>> ((at & 3) << 1)) & 3) === EMPTY) return at;
      if (words[2 * at + 1] === lo && words[2 * at] === hi) return at;
    }
  }
}
