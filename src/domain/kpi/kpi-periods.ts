// KPI totals rolled up over periods (ISO weeks, calendar months, a whole selection). A period's
// totals are those of its facts taken together, not a sum of its days' totals: a customer who
// orders on two days of a week counts once in that week, and a category's average order value
// is its revenue over its distinct orders in the period. The roll-up keeps KpiTotals' shape;
// each row's `date` is the first day of its period, so kpisFromTotals reports it unchanged.
import { isIsoDate, utcDate } from '../dates.js';
import { totalKpis } from './compute-kpis.js';
import type { Fact, KpiTotals } from './kpi.types.js';

export type Period = 'day' | 'week' | 'month';
/** a period, or 'all': every listed date as one period */
export type RollUp = Period | 'all';

const DAY_MS = 86_400_000;
const midnight = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** the first day of the period a YYYY-MM-DD date falls in: itself, its week's Monday, its 1st */
export const periodStart = (date: string, by: Period): string => {
  if (by === 'day') return date;
  if (by === 'month') return `${date.slice(0, 7)}-01`;
  const day = midnight(date);
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return utcDate(day - sinceMonday * DAY_MS);
};

/**
 * Each listed date (those that are calendar dates; others match no fact) mapped to the first day
 * of its period; with 'all', to the first listed date.
 */
export const periodsOf = (dates: readonly string[], by: RollUp): Map<string, string> => {
  const valid = [...new Set(dates)].filter(isIsoDate).sort();
  const first = valid[0] ?? '';
  return new Map(valid.map((d) => [d, by === 'all' ? first : periodStart(d, by)]));
};

/**
 * The specification of FactStore.periodTotals: totalKpis over the facts of the listed dates, each
 * fact counted under the first day of its period.
 */
export const rollUpTotals = (
  facts: Iterable<Fact>,
  dates: readonly string[],
  by: RollUp,
): KpiTotals => {
  const periods = periodsOf(dates, by);
  const placed: Fact[] = [];
  for (const f of facts) {
    const period = periods.get(utcDate(f.orderCreatedAt));
    if (period !== undefined) placed.push({ ...f, orderCreatedAt: midnight(period) });
  }
  return totalKpis(placed);
};
