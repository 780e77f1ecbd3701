// A 64-bit hash as two 32-bit words and as the 16 lowercase hex digits that spell it (hi word
// first). Row hashes, fingerprints and row locations all use this spelling; built with one
// String.fromCharCode of a lookup table, where toString(16) and padStart made five strings.

/** the character codes of the 16 lowercase hex digits, by value */
export const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** `lo` and `hi` as the 16 hex digits rowHashes spells (hi first) */
export const hexOfWords = (hi: number, lo: number): string => {
  const x = HEX_CODES;
  return String.fromCharCode(
    x[hi >>> 28] as number,
    x[(hi >>> 24) & 15] as number,
    x[(hi >>> 20) & 15] as number,
    x[(hi >>> 16) & 15] as number,
    x[(hi >>> 12) & 15] as number,
    x[(hi >>> 8) & 15] as number,
    x[(hi >>> 4) & 15] as number,
    x[hi & 15] as number,
    x[lo >>> 28] as number,
    x[(lo >>> 24) & 15] as number,
    x[(lo >>> 20) & 15] as number,
    x[(lo >>> 16) & 15] as number,
    x[(lo >>> 12) & 15] as number,
    x[(lo >>> 8) & 15] as number,
    x[(lo >>> 4) & 15] as number,
    x[lo & 15] as number,
  );
};

/** the number of 8 lowercase hex digits of `s` from `at`, or -1 when they are not that */
export const hexWord = (s: string, at: number): number => {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
};

/**
 * the number of the 8 hex digits of `s` from `at`, upper or lower case (SQLite's hex() writes
 * upper case), or -1 when they are not hex digits
 */
export const anyCaseHexWord = (s: string, at: number): number => {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = s.charCodeAt(i);
    const d =
      c >= 0x30 && c <= 0x39
        ? c - 0x30
        : c >= 0x61 && c <= 0x66
          ? c - 0x57
          : c >= 0x41 && c <= 0x46
            ? c - 0x37
            : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
};

/** row r's hash in rowHashWords' layout ([lo, hi] per row) as its 16 hex digits */
export const hexOfRow = (words: Uint32Array, r: number): string =>
  hexOfWords(words[2 * r + 1] as number, words[2 * r] as number);

/** the first `rows` hashes in rowHashWords' layout as their 16 hex digits */
export const hexOfRows = (words: Uint32Array, rows = words.length / 2): string[] => {
  const out = new Array<string>(rows);
  for (let r = 0; r < rows; r++) out[r] = hexOfRow(words, r);
  return out;
};
