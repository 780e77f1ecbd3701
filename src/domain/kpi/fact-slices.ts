// A big group's facts cut into slices of whole order dates, so the Transform writes them to the
// fact store and to Delta slice by slice: what a write holds besides the facts (the id lists
// bound to SQL, the Delta partition columns) then grows with a slice, not with the group.
//
// Why slicing keeps the group's answer: every order (with all its facts) and every item is in
// exactly one slice, and a slice lists the orders of its facts. A slice's replace removes facts
// of its own orders and items only, so it never removes a fact an earlier slice wrote, and the
// slices together remove exactly what one replace of the group removes. A listed order with no
// fact goes to the first slice (removing its old facts before any slice writes is the same).
import { utcDayNumber } from '../dates.js';
import type { FactColumns } from './fact-columns.js';

export interface FactSlice {
  /** the UTC day numbers of the slice's facts, ascending (a date is never split) */
  readonly days: readonly number[];
  /** the orders the slice replaces: its facts' orders (plus, in the first, the fact-less ones) */
  readonly orderIds: readonly string[];
  readonly facts: FactColumns;
}

/** the facts of the rows listed, in that order (columns copied: the slice lives on its own) */
export const factRows = (c: FactColumns, rows: readonly number[]): FactColumns => {
  const pick = <T>(list: readonly T[]): T[] => rows.map((r) => list[r] as T);
  return {
    length: rows.length,
    itemId: pick(c.itemId),
    orderId: pick(c.orderId),
    userId: pick(c.userId),
    orderStatus: pick(c.orderStatus),
    orderCreatedAt: Float64Array.from(rows, (r) => c.orderCreatedAt[r] as number),
    productId: pick(c.productId),
    category: pick(c.category),
    salePriceCents: pick(c.salePriceCents),
  };
};

/** consecutive days, in order, up to maxFacts facts a slice (a day above it alone) */
const dayRanges = (countByDay: ReadonlyMap<number, number>, maxFacts: number): number[][] => {
  const ranges: number[][] = [];
  let current: number[] = [];
  let size = 0;
  for (const day of [...countByDay.keys()].sort((a, b) => a - b)) {
    const n = countByDay.get(day) as number;
    if (current.length > 0 && size + n > maxFacts) {
      ranges.push(current);
      current = [];
      size = 0;
    }
    current.push(day);
    size += n;
  }
  if (current.length > 0) ranges.push(current);
  return ranges;
};

/**
 * The plan of a group's slices: which slice each fact goes to. Slices are made one at a time
 * (sliceAt), so only one slice's copy of the columns lives at once.
 */
export class FactSlices {
  readonly count: number;
  private readonly sliceOfRow: Uint32Array;
  private readonly ranges: number[][];
  private readonly factless: readonly string[];

  /** maxFacts: the facts a slice holds at most, unless one date alone holds more */
  constructor(
    private readonly orderIds: readonly string[],
    private readonly facts: FactColumns,
    maxFacts: number,
  ) {
    const dayOfRow = new Float64Array(facts.length);
    const countByDay = new Map<number, number>();
    for (let i = 0; i < facts.length; i++) {
      const day = utcDayNumber(facts.orderCreatedAt[i] as number);
      dayOfRow[i] = day;
      countByDay.set(day, (countByDay.get(day) ?? 0) + 1);
    }
    this.ranges = dayRanges(countByDay, maxFacts);
    const sliceOfDay = new Map<number, number>();
    this.ranges.forEach((days, s) => days.forEach((d) => sliceOfDay.set(d, s)));
    this.sliceOfRow = Uint32Array.from(dayOfRow, (d) => sliceOfDay.get(d) as number);
    this.count = Math.max(1, this.ranges.length);
    if (this.count === 1) {
      this.factless = orderIds;
    } else {
      const withFacts = new Set(facts.orderId);
      this.factless = orderIds.filter((id) => !withFacts.has(id));
    }
  }

  /** slice s of count: the group itself (no copy) when it is one slice */
  sliceAt(s: number): FactSlice {
    const days = this.ranges[s] ?? [];
    if (this.count === 1) return { days, orderIds: this.orderIds, facts: this.facts };
    const rows: number[] = [];
    for (let i = 0; i < this.sliceOfRow.length; i++) if (this.sliceOfRow[i] === s) rows.push(i);
    const facts = factRows(this.facts, rows);
    const orderIds = [...new Set(facts.orderId)];
    return { days, orderIds: s === 0 ? [...this.factless, ...orderIds] : orderIds, facts };
  }
}
