// Numbers the distinct keys (or key pairs) of a big column in the order they are first seen:
// slot 0, 1, 2... so what a rule remembers per key can live in flat typed arrays indexed by
// slot instead of in a Map of objects. A JS Map of 10^6 string keys cost ~0.5-1 µs a lookup on
// this machine; this is an open-addressing table over our own hash of the key's char codes
// (a pair is hashed as its two parts, never joined), the keys kept by reference for equality.

const EMPTY = -1;
const MIN_SLOTS = 1 << 11;

export class KeySlots {
  /** pairs (slot, hash) per position, so a probe reads one cache line and compares strings
   *  only when the hashes agree; a growth re-places entries without hashing keys again */
  private table: Int32Array;
  private mask: number;
  private readonly firsts: string[] = [];
  private readonly seconds: string[] = [];
  private count = 0;

  /** `expected`: how many distinct keys to make room for up front (no growing up to it);
   *  `pairs`: whether keys come in pairs (a key-only table keeps no second parts at all) */
  constructor(
    expected = 0,
    private readonly pairs = false,
  ) {
    let slots = MIN_SLOTS;
    while (slots < expected) slots *= 2;
    // positions = 2 x slots: at most half full, so probes stay short
    this.table = new Int32Array(slots * 4).fill(EMPTY);
    this.mask = slots * 2 - 1;
  }

  /** distinct keys so far (the next new key's slot) */
  get size(): number {
    return this.count;
  }

  /** the slot of `key` (or of the pair `key`, `second`); when new, it gets the next slot and the
   *  answer is `~slot` (always negative), so one probe both looks up and inserts */
  slotOf(key: string, second = ''): number {
    const h = hashOf(key, second);
    const at = this.probe(h, key, second);
    const slot = this.table[2 * at] as number;
    return slot === EMPTY ? ~this.insert(at, h, key, second) : slot;
  }

  /** the slot of `key` (or of the pair), or -1 when it was never seen; adds nothing */
  find(key: string, second = ''): number {
    const at = this.probe(hashOf(key, second), key, second);
    return this.table[2 * at] as number; // EMPTY is -1
  }

  /** the position holding the key, or the empty position where it would go */
  private probe(h: number, key: string, second: string): number {
    if (!this.pairs && second !== '') throw new Error('a pair given to a key-only KeySlots');
    const table = this.table;
    const mask = this.mask;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const slot = table[2 * at] as number;
      if (
        slot === EMPTY ||
        (table[2 * at + 1] === h &&
          this.firsts[slot] === key &&
          (!this.pairs || this.seconds[slot] === second))
      ) {
        return at;
      }
    }
  }

  private insert(at: number, h: number, key: string, second: string): number {
    const slot = this.count++;
    this.table[2 * at] = slot;
    this.table[2 * at + 1] = h;
    this.firsts.push(key);
    if (this.pairs) this.seconds.push(second);
    if (this.count > (this.mask + 1) / 2) this.grow();
    return slot;
  }

  private grow(): void {
    const old = this.table;
    const table = new Int32Array(old.length * 2).fill(EMPTY);
    const mask = table.length / 2 - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] === EMPTY) continue;
      const h = old[i + 1] as number;
      let at = h & mask;
      while (table[2 * at] !== EMPTY) at = (at + 1) & mask;
      table[2 * at] = old[i] as number;
      table[2 * at + 1] = h;
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
