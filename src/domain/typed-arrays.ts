// Typed arrays joined end to end into one of exactly their total length (its own ArrayBuffer,
// not a slice of a pool, so it can be transferred to a worker whole).
type Typed = Uint8Array | Uint32Array | Float64Array;

export function concatTyped<T extends Typed>(parts: readonly T[], make: new (n: number) => T): T {
  const out = new make(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
