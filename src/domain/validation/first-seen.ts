// Remembers, for every key of a whole file, the line it first appeared on: the memory behind
// unique.key and unique.order-product. A JS Map did this at ~0.5-1 µs a row on 1M-row files,
// and the order/product pair first had to be joined into a new string per row; this is an
// open-addressing table over our own hash of the key's char codes (a pair is hashed as its two
// parts, never joined), with the keys kept by reference for the equality check.

const EMPTY = -1;

export class FirstSeen {
  private table = new Int32Array(1 << 12).fill(EMPTY);
  private mask = (1 << 12) - 1;
  private readonly firsts: string[] = [];
  private readonly seconds: string[] = [];
  private lines = new Uint32Array(1 << 11);
  /** each key's hash, so growing never hashes a key again and a probe compares strings only
   *  when the hashes agree */
  private hashes = new Int32Array(1 << 11);
  private size = 0;

  /** the line `key` (or the pair `key`, `second`) first appeared on; or, when new, -1 after
   *  remembering `line` for it */
  firstLine(key: string, line: number, second = ''): number {
    const h = hashOf(key, second);
    const table = this.table;
    const mask = this.mask;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const slot = table[at] as number;
      if (slot === EMPTY) {
        this.insert(at, h, key, second, line);
        return -1;
      }
      if (this.hashes[slot] === h && this.firsts[slot] === key && this.seconds[slot] === second) {
        return this.lines[slot] as number;
      }
    }
  }

  private insert(at: number, h: number, key: string, second: string, line: number): void {
    const slot = this.size++;
    this.table[at] = slot;
    this.firsts.push(key);
    this.seconds.push(second);
    if (slot >= this.lines.length) {
      const lines = new Uint32Array(this.lines.length * 2);
      lines.set(this.lines);
      this.lines = lines;
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.lines[slot] = line;
    this.hashes[slot] = h;
    // at most half full, so probes stay short
    if (this.size * 2 > this.table.length) this.grow();
  }

  private grow(): void {
    const table = new Int32Array(this.table.length * 2).fill(EMPTY);
    const mask = table.length - 1;
    for (let slot = 0; slot < this.size; slot++) {
      let at = (this.hashes[slot] as number) & mask;
      while (table[at] !== EMPTY) at = (at + 1) & mask;
      table[at] = slot;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** a 32-bit hash (as an int32) of the two strings (murmur3's finalizer over an FNV-style loop) */
function hashOf(a: string, b: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 0x01000193);
  // a separator no key part can fake by its length alone
  h = Math.imul(h ^ (0x10000 + b.length), 0x01000193);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
