// Cell parsers for the hot path. Each returns the parsed number, or a string: the message saying
// what was expected. Returning a constant string (not an object) keeps the per-cell cost at one
// `typeof` check and no allocation; char-code scanning avoids a regex per cell. Each parser reads
// a span [from, to) of a string, so the CSV decoder parses a cell where it lies in the text chunk
// without cutting it out as a string of its own first; the one-argument forms read a whole string.

export type Parsed = number | string;

export const TIMESTAMP_EXPECTED =
  'expected an ISO 8601 timestamp like 2025-03-30T16:14:26 (optional .fff and zone Z, +02:00, +0200 or " UTC")';
export const MONEY_EXPECTED =
  'expected a decimal amount like 19.99 (digits, optional "-", a "." and at most 2 decimals)';
export const MONEY_TOO_PRECISE =
  'has more than 2 decimals; money is kept in whole cents, so round it in the export (e.g. 19.999 -> 20.00)';
export const INT_EXPECTED = 'expected a whole number like 3 (digits only, optional "-")';

const ZERO = 48;
const isDigit = (c: number): boolean => c >= ZERO && c <= 57;

/** Reads `n` digits at `i`, or -1 when any is not a digit. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - ZERO);
  }
  return v;
}

// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm): exact and branch-light.
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const NOT_A_DATE = 0.5;
// the month asked for last (its first day's number and its length): the rows of an export
// mostly fall in the same month as the row before, so the calendar arithmetic is rarely needed
let lastMonth = -1;
let monthStart = 0;
let monthLength = 0;

/** days from 1970-01-01 to the date, or NOT_A_DATE when it does not exist (y, m, d may be -1) */
function dayNumber(y: number, m: number, d: number): number {
  if (y < 0 || m < 1 || m > 12 || d < 1) return NOT_A_DATE;
  const key = y * 16 + m;
  if (key !== lastMonth) {
    lastMonth = key;
    monthStart = daysFromCivil(y, m, 1);
    monthLength = daysInMonth(y, m);
  }
  return d > monthLength ? NOT_A_DATE : monthStart + d - 1;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** ISO 8601 `YYYY-MM-DD[T ]HH:MM[:SS[.fff…]][Z|±HH:MM|±HHMM| UTC]` to UTC epoch ms. */
export const parseTimestamp = (s: string): Parsed => parseTimestampAt(s, 0, s.length);

/** the digit at `i` of `s` (0-9), or a value above 9 when it is not a digit */
const digitAt = (s: string, i: number): number => (s.charCodeAt(i) - ZERO) >>> 0;

/** parseTimestamp of the span [from, to) of `text` */
export function parseTimestampAt(text: string, from: number, to: number): Parsed {
  const problem = parseTimestampInto(text, from, to, SCRATCH, 0);
  return problem ?? (SCRATCH[0] as number);
}

const SCRATCH = new Float64Array(1);

/**
 * parseTimestampAt writing the value to `out[at]`: undefined when written, else the message. The
 * CSV decoder's form: epoch milliseconds are past the small-integer range, so a returned value is
 * a fresh heap number per cell (~2M per 1M items), where a store into the column's array is not.
 */
export function parseTimestampInto(
  text: string,
  from: number,
  to: number,
  out: Float64Array,
  at: number,
): string | undefined {
  const s = text;
  const o = from;
  const n = to;
  if (n - o < 16 || s.charCodeAt(o + 4) !== 45 || s.charCodeAt(o + 7) !== 45) {
    return TIMESTAMP_EXPECTED;
  }
  const sep = s.charCodeAt(o + 10);
  if ((sep !== 84 && sep !== 32 && sep !== 116) || s.charCodeAt(o + 13) !== 58)
    return TIMESTAMP_EXPECTED;
  // the 12 digits at fixed places read straight, then checked (a non-digit reads above 9): a
  // loop per field with its own early return cost more on the ~2M timestamps of 1M items
  // (round 11). The span is at least 16 units long here, so no read falls past its end.
  const y0 = digitAt(s, o);
  const y1 = digitAt(s, o + 1);
  const y2 = digitAt(s, o + 2);
  const y3 = digitAt(s, o + 3);
  const mo0 = digitAt(s, o + 5);
  const mo1 = digitAt(s, o + 6);
  const d0 = digitAt(s, o + 8);
  const d1 = digitAt(s, o + 9);
  const h0 = digitAt(s, o + 11);
  const h1 = digitAt(s, o + 12);
  const mi0 = digitAt(s, o + 14);
  const mi1 = digitAt(s, o + 15);
  if (
    y0 > 9 ||
    y1 > 9 ||
    y2 > 9 ||
    y3 > 9 ||
    mo0 > 9 ||
    mo1 > 9 ||
    d0 > 9 ||
    d1 > 9 ||
    h0 > 9 ||
    h1 > 9 ||
    mi0 > 9 ||
    mi1 > 9
  )
    return TIMESTAMP_EXPECTED;
  const h = h0 * 10 + h1;
  const mi = mi0 * 10 + mi1;
  if (h > 23 || mi > 59) return TIMESTAMP_EXPECTED;
  const days = dayNumber(y0 * 1000 + y1 * 100 + y2 * 10 + y3, mo0 * 10 + mo1, d0 * 10 + d1);
  if (days === NOT_A_DATE) return TIMESTAMP_EXPECTED;
  let i = o + 16;
  let sec = 0;
  let ms = 0;
  if (i < n && s.charCodeAt(i) === 58) {
    sec = i + 3 <= n ? digits(s, i + 1, 2) : -1;
    if (sec < 0 || sec > 59) return TIMESTAMP_EXPECTED;
    i += 3;
    if (i < n && s.charCodeAt(i) === 46) {
      i++;
      const start = i;
      // milliseconds from the first 3 digits; further digits are sub-millisecond and dropped
      while (i < n && isDigit(s.charCodeAt(i))) {
        if (i - start < 3) ms = ms * 10 + (s.charCodeAt(i) - ZERO);
        i++;
      }
      const len = i - start;
      if (len === 0) return TIMESTAMP_EXPECTED;
      if (len === 1) ms *= 100;
      else if (len === 2) ms *= 10;
    }
  }
  let offsetMin = 0;
  if (i < n) {
    const c = s.charCodeAt(i);
    if ((c === 90 || c === 122) && i + 1 === n) {
      // Z
    } else if (c === 32 && n - i === 4 && s.slice(i + 1, n).toUpperCase() === 'UTC') {
      // " UTC"
    } else if (c === 43 || c === 45) {
      const colon = i + 3 < n && s.charCodeAt(i + 3) === 58;
      const end = i + (colon ? 6 : 5);
      if (end !== n) return TIMESTAMP_EXPECTED;
      const oh = digits(s, i + 1, 2);
      const om = digits(s, i + (colon ? 4 : 3), 2);
      if (oh < 0 || om < 0 || oh > 23 || om > 59) return TIMESTAMP_EXPECTED;
      offsetMin = (c === 45 ? -1 : 1) * (oh * 60 + om);
    } else {
      return TIMESTAMP_EXPECTED;
    }
  }
  out[at] = ((days * 24 + h) * 60 + mi - offsetMin) * 60_000 + sec * 1000 + ms;
  return undefined;
}

/** A decimal amount to exact integer cents; more than 2 decimals is refused, never rounded. */
export const parseMoney = (s: string): Parsed => parseMoneyAt(s, 0, s.length);

/** parseMoney of the span [from, to) of `s` */
export function parseMoneyAt(s: string, from: number, to: number): Parsed {
  const n = to;
  const neg = from < n && s.charCodeAt(from) === 45;
  let i = neg ? from + 1 : from;
  let whole = 0;
  const start = i;
  while (i < n && isDigit(s.charCodeAt(i))) {
    whole = whole * 10 + (s.charCodeAt(i) - ZERO);
    i++;
  }
  // 13 integer digits keep cents well inside Number.MAX_SAFE_INTEGER
  if (i - start > 13) return MONEY_EXPECTED;
  let cents = 0;
  if (i < n) {
    if (s.charCodeAt(i) !== 46) return MONEY_EXPECTED;
    i++;
    const fracStart = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    const fracLen = i - fracStart;
    if (i < n || fracLen === 0) return MONEY_EXPECTED;
    if (fracLen > 2) return MONEY_TOO_PRECISE;
    cents = digits(s, fracStart, fracLen) * (fracLen === 1 ? 10 : 1);
    if (fracStart - 1 === start) return MONEY_EXPECTED; // ".5": no integer part
  } else if (i === start) {
    return MONEY_EXPECTED;
  }
  const v = whole * 100 + cents;
  return neg ? 0 - v : v;
}

/** A whole number (up to 15 digits, so it stays exact in a float64). */
export const parseInteger = (s: string): Parsed => parseIntegerAt(s, 0, s.length);

/** parseInteger of the span [from, to) of `s` */
export function parseIntegerAt(s: string, from: number, to: number): Parsed {
  const n = to;
  const neg = from < n && s.charCodeAt(from) === 45;
  let i = neg ? from + 1 : from;
  if (i === n || n - i > 15) return INT_EXPECTED;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return INT_EXPECTED;
    v = v * 10 + (c - ZERO);
  }
  return neg ? 0 - v : v;
}
