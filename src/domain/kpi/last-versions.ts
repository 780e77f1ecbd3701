// Which rows of a list of keys are the versions to keep: a key seen more than once keeps its
// first position and takes its last row's values (a re-delivered item replaces the earlier one,
// where the earlier one stood). A Map from 10^6 keys to row numbers costs ~80 MB and ~1 s; this
// sorts one Float64Array of (hash, row) pairs instead and compares the strings only where two
// hashes meet.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a of the UTF-16 units */
export const hash32 = (s: string): number => {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
};

/**
 * null when every key is distinct; else, per row, the row whose values it takes, or -1 when the
 * row is dropped (a later version of a key seen before).
 */
export const lastVersions = (keys: readonly string[], length: number): Int32Array | null => {
  if (length < 2) return null;
  // (hash, row) packed exactly into a double: the row in the low bits, the hash above them
  const rowBits = Math.ceil(Math.log2(length));
  const hashBits = Math.min(32, 53 - rowBits);
  const rowSpan = 2 ** rowBits;
  const packed = new Float64Array(length);
  for (let r = 0; r < length; r++)
    packed[r] = (hash32(keys[r] as string) >>> (32 - hashBits)) * rowSpan + r;
  packed.sort();
  let source: Int32Array | null = null;
  let start = 0;
  while (start < length) {
    const h = Math.floor((packed[start] as number) / rowSpan);
    let end = start + 1;
    while (end < length && Math.floor((packed[end] as number) / rowSpan) === h) end++;
    if (end - start > 1) {
      // rows of one hash, ascending: group them by the key itself (hashes of different keys meet)
      const rows = Array.from(packed.subarray(start, end), (p) => p % rowSpan);
      const firstOf = new Map<string, number>();
      for (const row of rows) {
        const key = keys[row] as string;
        const first = firstOf.get(key);
        if (first === undefined) {
          firstOf.set(key, row);
          continue;
        }
        source ??= Int32Array.from({ length }, (_, i) => i);
        source[first] = row;
        source[row] = -1;
      }
    }
    start = end;
  }
  return source;
};
