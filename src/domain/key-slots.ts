// Numbers the distinct keys (or key pairs) of a big column in the order they are first seen:
// slot 0, 1, 2... so what a rule remembers per key can live in flat typed arrays indexed by
// slot instead of in a Map of objects. A JS Map of 10^6 string keys cost ~0.5-1 µs a lookup on
// this machine; this is an open-addressing table over our own tag of each key part.
//
// A part that is a canonical decimal number below 10^9 (no sign, no leading zero: what nearly
// every shop id is) is tagged by its value, so two such parts are equal exactly when their tags
// are: the table answers without reading any string, and keeps no reference to the key. Any other
// part is tagged by a 31-bit hash with the top bit set (never equal to a number's tag) and
// compared as a string too. Numbered keys are placed by their value ("local"), so ids that come
// in order land side by side in the table instead of one cache miss each; should the values
// cluster (a probe walks more than MAX_PROBE positions) the table is placed again by a mixing
// hash of the tags for good, which bounds every probe as a plain hash table would. A key-only
// table starts dense (see `dense`): ids 1..n need no table at all, only slot + 1 at each value.

import { mix, tagOf } from './key-tags.js';

const EMPTY = 0; // positions hold slot + 1, so a fresh (zeroed) array is already empty
const MIN_POSITIONS = 1 << 12;
const LOAD = 0.75;
const MAX_PROBE = 32;

export class KeySlots {
  /** per position: slot + 1, the first part's tag, and (pairs only) the second part's tag */
  private table: Int32Array;
  private mask: number;
  /** a key-only table starts "dense": slot + 1 at the key's value, no tag, no probe (ids
   *  numbered 1..n are 4 bytes each); null once a key that is not a number, or a value too far
   *  beyond the keys held, moved it to the hashed table for good */
  private dense: Int32Array | null;
  private readonly stride: number;
  private local = true;
  /** the key parts, kept only once a part that is not a number was seen (so strings can be
   *  compared); until then null */
  private firsts: string[] | null = null;
  private seconds: string[] | null = null;
  private count = 0;

  /** `expected`: how many distinct keys to make room for up front (no growing up to it);
   *  `pairs`: whether keys come in pairs (a key-only table keeps no second parts at all) */
  constructor(
    private readonly expected = 0,
    private readonly pairs = false,
  ) {
    this.stride = pairs ? 3 : 2;
    this.dense = pairs ? null : new Int32Array(Math.max(MIN_POSITIONS, expected + 1));
    this.table = new Int32Array(this.dense === null ? this.positionsFor(expected) * 3 : 0);
    this.mask = this.table.length / this.stride - 1;
  }

  /** positions: a power of two at most 3/4 full once `keys` keys are in (linear probing stays
   *  short at that load, and a 3M-key table is 32 MB, not 64: in the Validate stage every new
   *  buffer of that size costs the collector a full mark of the group's rows) */
  private positionsFor(keys: number): number {
    let positions = MIN_POSITIONS;
    while (positions * LOAD < keys) positions *= 2;
    return positions;
  }

  /** distinct keys so far (the next new key's slot) */
  get size(): number {
    return this.count;
  }

  /** the slot of `key` (or of the pair `key`, `second`); when new, it gets the next slot and the
   *  answer is `~slot` (always negative), so one probe both looks up and inserts */
  slotOf(key: string, second = ''): number {
    const t1 = tagOf(key);
    const t2 = this.secondTag(second);
    if (this.dense !== null && this.fitsDense(t1)) {
      const dense = this.dense;
      const slot = (dense[t1] as number) - 1;
      if (slot >= 0) return slot;
      dense[t1] = ++this.count;
      return ~(this.count - 1);
    }
    const at = this.probe(t1, t2, key, second);
    const slot = (this.table[at] as number) - 1;
    return slot === -1 ? ~this.insert(at, t1, t2, key, second) : slot;
  }

  /** the slot of `key` (or of the pair), or -1 when it was never seen; adds nothing */
  find(key: string, second = ''): number {
    if (this.dense !== null) {
      this.secondTag(second);
      // a dense table holds numbers only, each below its length
      const t = tagOf(key);
      return t >= 0 && t < this.dense.length ? (this.dense[t] as number) - 1 : -1;
    }
    const at = this.probe(tagOf(key), this.secondTag(second), key, second);
    return (this.table[at] as number) - 1;
  }

  /** whether the value `t` can be held dense (growing it when the keys held are at least half
   *  as many as the values it would span); otherwise the table becomes hashed */
  private fitsDense(t: number): boolean {
    const dense = this.dense as Int32Array;
    if (t >= 0 && t < dense.length) return true;
    if (t >= 0 && t < 2 * (this.count + 1) + MIN_POSITIONS) {
      let length = dense.length * 2;
      while (length <= t) length *= 2;
      const bigger = new Int32Array(length);
      bigger.set(dense);
      this.dense = bigger;
      return true;
    }
    this.toHashed(dense);
    return false;
  }

  /** moves the dense entries to the hashed table (every tag is its value) */
  private toHashed(dense: Int32Array): void {
    this.dense = null;
    this.table = new Int32Array(this.positionsFor(Math.max(this.expected, this.count + 1)) * 2);
    this.mask = this.table.length / 2 - 1;
    let crowded = false;
    for (let v = 0; v < dense.length; v++) {
      const stored = dense[v] as number;
      if (stored === EMPTY) continue;
      let p = v & this.mask;
      for (let steps = 0; this.table[2 * p] !== EMPTY; steps++) {
        crowded ||= steps > MAX_PROBE;
        p = (p + 1) & this.mask;
      }
      this.table[2 * p] = stored;
      this.table[2 * p + 1] = v;
    }
    if (crowded) this.place(false);
  }

  private secondTag(second: string): number {
    if (this.pairs) return tagOf(second);
    if (second !== '') throw new Error('a pair given to a key-only KeySlots');
    return 0;
  }

  /** the position (index of its first int) holding the key, or the empty one where it would go */
  private probe(t1: number, t2: number, key: string, second: string): number {
    const { table, mask, stride } = this;
    let p = this.homeOf(this.local, t1, t2) & mask;
    for (let steps = 0; ; steps++, p = (p + 1) & mask) {
      if (steps > MAX_PROBE && this.local) {
        this.place(false);
        return this.probe(t1, t2, key, second);
      }
      const at = p * stride;
      const stored = table[at] as number;
      if (stored === EMPTY) return at;
      if (table[at + 1] !== t1 || (this.pairs && table[at + 2] !== t2)) continue;
      // equal tags: equal parts, unless a part is a string (its tag is only a hash)
      if (t1 < 0 && (this.firsts as string[])[stored - 1] !== key) continue;
      if (this.pairs && t2 < 0 && (this.seconds as string[])[stored - 1] !== second) continue;
      return at;
    }
  }

  private homeOf(local: boolean, t1: number, t2: number): number {
    // a pair's order-like first part picks a run of 4 positions (one cache line), its second
    // part a position in it: an order's items are near each other, orders are not
    if (local) return this.pairs ? (mix(t1) & ~3) | (t2 & 3) : t1;
    return mix(this.pairs ? t1 ^ Math.imul(t2 + 0x9e3779b9, 0x85ebca6b) : t1);
  }

  private insert(at: number, t1: number, t2: number, key: string, second: string): number {
    const slot = this.count++;
    this.table[at] = slot + 1;
    this.table[at + 1] = t1;
    if (this.pairs) this.table[at + 2] = t2;
    if (t1 < 0 && this.firsts === null) this.firsts = new Array<string>(slot).fill('');
    this.firsts?.push(key);
    if (this.pairs) {
      if (t2 < 0 && this.seconds === null) this.seconds = new Array<string>(slot).fill('');
      this.seconds?.push(second);
    }
    if (this.count > (this.mask + 1) * LOAD) this.place(this.local, 2);
    return slot;
  }

  /** places every entry again (from its tags: no key is read) in `growth` times as many
   *  positions, by value (`local`) or by the mixing hash; placing by value gives up for good
   *  when the values cluster */
  private place(local: boolean, growth = 1): void {
    const { stride } = this;
    const old = this.table;
    const table = new Int32Array(old.length * growth);
    const mask = table.length / stride - 1;
    for (let i = 0; i < old.length; i += stride) {
      if (old[i] === EMPTY) continue;
      const t1 = old[i + 1] as number;
      const t2 = stride === 3 ? (old[i + 2] as number) : 0;
      let p = this.homeOf(local, t1, t2) & mask;
      for (let steps = 0; table[p * stride] !== EMPTY; steps++) {
        if (local && steps > MAX_PROBE) return this.place(false, growth);
        p = (p + 1) & mask;
      }
      for (let k = 0; k < stride; k++) table[p * stride + k] = old[i + k] as number;
    }
    this.table = table;
    this.mask = mask;
    this.local = local;
  }
}

/** `values` copied into an array twice as long when `slot` does not fit (slots grow by one) */
export const roomFor = <A extends Int32Array | Uint32Array>(values: A, slot: number): A => {
  if (slot < values.length) return values;
  const bigger = new (values.constructor as new (n: number) => A)(Math.max(16, values.length * 2));
  bigger.set(values);
  return bigger;
};
