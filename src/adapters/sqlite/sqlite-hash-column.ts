// An item's row hash in ri_items: the 16 lowercase hex digits the landing computes are kept as
// their 8 bytes (a BLOB), not as 16 characters of text: 1M items, ~9 MB less (schema step 9).
// Any other text (a test's 'h-i1', an older hash form) is kept as it is, and SQL gives back
// exactly the text it was given: lower(hex(unhex(h))) = h for lowercase hex.

/**
 * SQL: the stored form of the text hash in `column`. "16 lowercase hex digits" is tested as
 * "16 characters, no ASCII capital, and unhex() reads them": unhex() is NULL for anything but
 * hex digits and lower() leaves only a-f among them. The same answer as the plain
 * `NOT GLOB '*[^0-9a-f]*'` test (kept in test/unit/sqlite/sqlite-hash-column.test.ts, which
 * compares the two), at half its cost: 1M hashes, 360 -> 173 ms of CPU; the GLOB was ~25% of
 * the ri_items upsert.
 */
export const storedHash = (column: string): string =>
  `CASE WHEN length(${column}) = 16 AND ${column} = lower(${column})
     THEN coalesce(unhex(${column}), ${column}) ELSE ${column} END`;

/** SQL: the text hash of the stored value in `column` */
export const hashText = (column: string): string =>
  `CASE WHEN typeof(${column}) = 'blob' THEN lower(hex(${column})) ELSE ${column} END`;
