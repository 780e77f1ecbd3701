// An order's content fingerprint (the decider's: fingerprint([order hash, ...item hashes
// sorted])) from its items' hashes given as words, without a string per item: the register of a
// 1M-item landing read each item's 8-byte hash as 16 hex characters only to hash those characters
// again. A 16-lowercase-hex-digit hash sorts as its (hi, lo) words do, and its characters are fed
// to the hasher digit by digit, so the digest is the same (test/unit/domain/order-fingerprint.test.ts
// compares the two on random hashes).
import { Hash64, hexDigest, MUL1, MUL2 } from './fingerprint.js';
import { HEX_CODES } from './hex-words.js';

/**
 * fingerprint([orderHash, ...items spelled by hexOfWords, sorted]) where item j's hash is
 * (hi[j], lo[j]), j < n. Sorts hi and lo (their first n entries) in place.
 */
export const orderFingerprintOfWords = (
  orderHash: string,
  hi: Uint32Array,
  lo: Uint32Array,
  n: number,
): string => {
  // insertion sort: an order has a few items
  for (let j = 1; j < n; j++) {
    const h = hi[j] as number;
    const l = lo[j] as number;
    let k = j - 1;
    for (; k >= 0 && ((hi[k] as number) > h || (hi[k] === h && (lo[k] as number) > l)); k--) {
      hi[k + 1] = hi[k] as number;
      lo[k + 1] = lo[k] as number;
    }
    hi[k + 1] = h;
    lo[k + 1] = l;
  }
  const f = new Hash64();
  f.text(String(n + 1)).code(0x7c);
  f.field(orderHash);
  // each item's field(16 hex digits), Hash64.code inlined on two locals (1M items: ~0.2 -> ~0.1 s
  // where the hasher's fields were read and written per digit): tag 0x02, the length "16", ':',
  // then the digits of hi and of lo
  let [h1, h2] = f.lanes();
  for (let j = 0; j < n; j++) {
    h1 = Math.imul(h1 ^ 0x02, MUL1);
    h2 = Math.imul(h2 ^ 0x02, MUL2);
    h1 = Math.imul(h1 ^ 0x31, MUL1);
    h2 = Math.imul(h2 ^ 0x31, MUL2);
    h1 = Math.imul(h1 ^ 0x36, MUL1);
    h2 = Math.imul(h2 ^ 0x36, MUL2);
    h1 = Math.imul(h1 ^ 0x3a, MUL1);
    h2 = Math.imul(h2 ^ 0x3a, MUL2);
    for (let half = 0, w = hi[j] as number; half < 2; half++, w = lo[j] as number) {
      for (let shift = 28; shift >= 0; shift -= 4) {
        const c = HEX_CODES[(w >>> shift) & 15] as number;
        h1 = Math.imul(h1 ^ c, MUL1);
        h2 = Math.imul(h2 ^ c, MUL2);
      }
    }
  }
  return hexDigest(h1, h2);
};
