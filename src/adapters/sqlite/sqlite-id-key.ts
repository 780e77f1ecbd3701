// How the SQLite state keys a shop's ids (orders, items, products, customers): one rule for the
// reference index (ri_ tables) and the facts. Their id columns have no type affinity, so SQLite
// keeps a value as it is bound and converts neither way: a canonical decimal integer is stored
// as that INTEGER, any other id as its TEXT, and an INTEGER never equals a TEXT, so '12' and
// '012' stay two ids.
// Why: shop ids are mostly such numbers. Integer keys are 1-4 bytes, compare as integers, and
// ascending ids are appended at a B-tree's right edge, where text keys ('10' < '9') land all over
// it: 1M items, the register's batch statements 1.8 -> 1.0 s of CPU, the facts insert ~1/3 less
// (docs/performance.md, "Round 10: register-sql" and "Round 10: facts").
// Mind the order: SQLite sorts integers by value and before any text, JS sorts the id strings.

/** an id as an id column holds it: an INTEGER or a TEXT */
export type IdKey = string | number;

const [ZERO, ONE, NINE] = [0x30, 0x31, 0x39];

/**
 * An id as the state keys it: a canonical decimal integer (digits only, no sign, no leading
 * zero, at most 2^53 - 1) as that number, anything else as its text. So '12' is 12, and '012',
 * '-1', '+7', '1e3', ' 7', '7.0' and '9007199254740993' stay text: every id keeps its own key,
 * and idText gives the same string back. A loop over the characters: Number() and String() of
 * each of 4M ids cost ~0.2 s more at 1M facts.
 */
export const idKey = (id: string): IdKey => keyAt(id, 0, id.length);

/**
 * idKey(text.slice(from, to)), without cutting the string out when the id is a canonical
 * integer: the completion query's items text names ~1M product ids at 1M items, each otherwise
 * cut out only to find one of a few thousand products
 */
export const keyAt = (text: string, from: number, to: number): IdKey => {
  const n = to - from;
  if (n === 0 || n > 16) return text.slice(from, to);
  const first = text.charCodeAt(from);
  if (first < ONE || first > NINE) return n === 1 && first === ZERO ? 0 : text.slice(from, to);
  let v = first - ZERO;
  for (let i = from + 1; i < to; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return text.slice(from, to);
    // exact while v stays below 2^53; past it, the rounded value is still past it
    v = v * 10 + d;
  }
  return v <= Number.MAX_SAFE_INTEGER ? v : text.slice(from, to);
};

/** an id read back from an id column (idKey's inverse) */
export const idText = (key: IdKey): string => (typeof key === 'number' ? String(key) : key);

/**
 * idKey in SQL, for the schema steps that convert the text ids of an older state. length()
 * stops at a NUL, octet_length() does not: an id holding one stays text. Part of released
 * steps: never edit it, write a new one.
 */
export const idKeySql = (column: string): string =>
  `CASE WHEN typeof(${column}) = 'text' AND octet_length(${column}) = length(${column})
      AND (${column} = '0' OR (${column} GLOB '[1-9]*' AND ${column} NOT GLOB '*[^0-9]*'
        AND (length(${column}) < 16
          OR (length(${column}) = 16 AND ${column} <= '9007199254740991'))))
    THEN CAST(${column} AS INTEGER) ELSE ${column} END`;

/**
 * SQL: a bound id key in `column` as the id columns keep it. better-sqlite3 binds every JS
 * number as a REAL (8 bytes, and 9.0 spelled '9.0' by group_concat); an id's number is a whole
 * number below 2^53, so it is made the INTEGER it is. Text is left as it is.
 */
export const integerKey = (column: string): string =>
  `CASE WHEN typeof(${column}) = 'real' THEN CAST(${column} AS INTEGER) ELSE ${column} END`;
