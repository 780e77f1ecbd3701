// Seeded randomness for the sample shop: every entity draws from its own PRNG, seeded from
// (seed, stream, index), so any entity can be regenerated alone and streams stay independent.

/** mulberry32: small, fast, good enough for sample data */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** a well-mixed 32-bit seed for entity `index` of stream `salt` */
export const subSeed = (seed: number, salt: number, index: number): number => {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (index >>> 0), 0x27d4eb2d) ^ Math.floor(index / 4294967296);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
};

export const pick = <T>(rnd: () => number, xs: readonly T[]): T =>
  xs[Math.floor(rnd() * xs.length)] as T;
export const int = (rnd: () => number, lo: number, hi: number): number =>
  lo + Math.floor(rnd() * (hi - lo + 1));
