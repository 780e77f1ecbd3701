// The timestamp parser as it was before round 11 (digits read by a loop per field, the value
// returned): the oracle of values.test.ts's property for the unrolled parser and its Into form.
import { TIMESTAMP_EXPECTED, type Parsed } from '../../../src/domain/values.js';

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

/** parseTimestamp of the span [from, to) of `text` */
export function oldParseTimestampAt(text: string, from: number, to: number): Parsed {
  const s = text;
  const o = from;
  const n = to;
  if (n - o < 16 || s.charCodeAt(o + 4) !== 45 || s.charCodeAt(o + 7) !== 45) {
    return TIMESTAMP_EXPECTED;
  }
  const sep = s.charCodeAt(o + 10);
  if ((sep !== 84 && sep !== 32 && sep !== 116) || s.charCodeAt(o + 13) !== 58)
    return TIMESTAMP_EXPECTED;
  const y = digits(s, o, 4);
  const mo = digits(s, o + 5, 2);
  const d = digits(s, o + 8, 2);
  const h = digits(s, o + 11, 2);
  const mi = digits(s, o + 14, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59) return TIMESTAMP_EXPECTED;
  const days = dayNumber(y, mo, d);
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
  return ((days * 24 + h) * 60 + mi - offsetMin) * 60_000 + sec * 1000 + ms;
}
