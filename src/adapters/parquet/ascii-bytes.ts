// Strings as bytes when they are ASCII (the ids, statuses and categories of a shop export): one
// byte per UTF-16 unit, written by a charCodeAt loop. V8's `join` of 10^6 short strings followed
// by one native encode took ~5x as long (190 against 32 ms per 10^6 ids, measured on Node 20),
// and it ran for every string column the staging and Delta writers encode.

/**
 * Writes the units of the strings (nulls skipped) into `bytes` from `at` while every unit is
 * ASCII; false at the first unit above 0x7F, the bytes then partly written: the caller encodes
 * that text as UTF-8 another way.
 */
export function asciiInto(
  values: ArrayLike<string | null | undefined>,
  bytes: Uint8Array,
  at = 0,
): boolean {
  const n = values.length;
  let to = at;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    for (let k = 0; k < v.length; k++) {
      const c = v.charCodeAt(k);
      if (c > 0x7f) return false;
      bytes[to++] = c;
    }
  }
  return true;
}
