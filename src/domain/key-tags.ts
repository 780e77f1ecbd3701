// The tags KeySlots and PairLines compare instead of key strings: a canonical decimal number
// below 10^9 is its own tag (equal tags, equal keys); any other text gets a hash with the top bit
// set, so it never equals a number's tag and is compared as a string when the hashes agree.

const NOT_NUMBER = -1;

/** a part's value when it is a canonical decimal number below 10^9, else a hash of its char
 *  codes with the top bit set (a negative int32) */
export function tagOf(s: string): number {
  const n = s.length;
  if (n > 0 && n < 10 && (n === 1 || s.charCodeAt(0) !== 48)) {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) {
        v = NOT_NUMBER;
        break;
      }
      v = v * 10 + d;
    }
    if (v !== NOT_NUMBER) return v;
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h) | 0x80000000;
}

/** murmur3's 32-bit finalizer */
export function mix(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
