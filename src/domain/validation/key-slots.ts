// Numbers the distinct keys (or key pairs) of a big column in the order they are first seen:
// slot 0, 1, 2... so what a rule remembers per key can live in flat typed arrays indexed by
// slot instead of in a Map of objects. A JS Map of 10^6 string keys cost ~0.5-1 µs a lookup on
// this machine; this is an open-addressing table over our own hash of the key's char codes
// (a pair is hashed as its two parts, never joined), the keys kept by reference for equality.

const EMPTY = -1;
const MIN_SLOTS = 1 << 11;

export class KeySlots {
  private table: Int32Array;
  private mask: number;
  private readonly firsts: string[] = [];
  private readonly seconds: string[] = [];
  /** each slot's hash, so growing never hashes a key again and a probe compares strings only
   *  when the hashes agree */
  private hashes: Int32Array;
  private count = 0;

  /** `expected`: how many distinct keys to make room for up front (no growing up to it) */
  constructor(expected = 0) {
    let slots = MIN_SLOTS;
    while (slots < expected) slots *= 2;
    this.table = new Int32Array(slots * 2).fill(EMPTY);
    this.mask = slots * 2 - 1;
    this.hashes = new Int32Array(slots);
  }

  /** distinct keys so far (the next new key's slot) */
  get size(): number {
    return this.count;
  }

  /** the slot of `key` (or of the pair `key`, `second`); when new, it gets the next slot and the
   *  answer is `~slot` (always negative), so one probe both looks up and inserts */
  slotOf(key: string, second = ''): number {
    const h = hashOf(key, second);
    const table = this.table;
    const mask = this.mask;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const slot = table[at] as number;
      if (slot === EMPTY) return ~this.insert(at, h, key, second);
      if (this.hashes[slot] === h && this.firsts[slot] === key && this.seconds[slot] === second) {
        return slot;
      }
    }
  }

  /** the slot of `key` (or of the pair), or -1 when it was never seen; adds nothing */
  find(key: string, second = ''): number {
    const h = hashOf(key, second);
    const table = this.table;
    const mask = this.mask;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const slot = table[at] as number;
      if (slot === EMPTY) return -1;
      if (this.hashes[slot] === h && this.firsts[slot] === key && this.seconds[slot] === second) {
        return slot;
      }
    }
  }

  private insert(at: number, h: number, key: string, second: string): number {
    const slot = this.count++;
    this.table[at] = slot;
    this.firsts.push(key);
    this.seconds.push(second);
    if (slot >= this.hashes.length) {
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.hashes[slot] = h;
    // at most half full, so probes stay short
    if (this.count * 2 > this.table.length) this.grow();
    return slot;
  }

  private grow(): void {
    const table = new Int32Array(this.table.length * 2).fill(EMPTY);
    const mask = table.length - 1;
    for (let slot = 0; slot < this.count; slot++) {
      let at = (this.hashes[slot] as number) & mask;
      while (table[at] !== EMPTY) at = (at + 1) & mask;
      table[at] = slot;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** `values` copied into an array twice as long when `slot` does not fit (slots grow by one) */
export const roomFor = <A extends Int32Array | Uint32Array>(values: A, slot: number): A => {
  if (slot < values.length) return values;
  const bigger = new (values.constructor as new (n: number) => A)(Math.max(16, values.length * 2));
  bigger.set(values);
  return bigger;
};

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
