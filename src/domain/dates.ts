// UTC calendar dates: the KPIs' order_date is the UTC date of orders.created_at.
const DAY_MS = 86_400_000;

const isoDate = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

// Facts are dated one by one (1M per big group) but fall on a few days: remembering each day's
// text replaces a Date and an ISO string per row with one division and a lookup. Bounded, so a
// long-running process dating many distinct days cannot grow it for good.
const DAY_TEXT = new Map<number, string>();
const DAY_TEXT_LIMIT = 100_000;

/** YYYY-MM-DD of the UTC day containing `epochMs` (years 0000-9999). */
export const utcDate = (epochMs: number): string => {
  const day = Math.floor(epochMs / DAY_MS);
  const known = DAY_TEXT.get(day);
  if (known !== undefined) return known;
  // an invalid time throws here, exactly as before
  const text = isoDate(epochMs);
  if (DAY_TEXT.size >= DAY_TEXT_LIMIT) DAY_TEXT.clear();
  DAY_TEXT.set(day, text);
  return text;
};

/** the UTC day number (days since 1970-01-01) containing `epochMs` */
export const utcDayNumber = (epochMs: number): number => Math.floor(epochMs / DAY_MS);

/** YYYY-MM-DD of a UTC day number */
export const dayNumberToDate = (day: number): string => utcDate(day * DAY_MS);

/** true when `s` is a real calendar date written YYYY-MM-DD */
export const isIsoDate = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  utcDate(Date.parse(`${s}T00:00:00Z`)) === s;
