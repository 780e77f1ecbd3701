// The numeric columns of order_facts as the Delta worker builds them from the facts' bytes
// (timestamps and cents straight into their words, min/max in the same pass) against the inline
// writer's columnData and valueStat over the same values; and Decimal128 words without a BigInt
// per cell against the BigInt reference.
import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORDER_FACTS } from '../../../src/adapters/delta/delta-analytics-rows.js';
import { columnData } from '../../../src/adapters/delta/delta-arrow-columns.js';
import { decimal128Words } from '../../../src/adapters/delta/delta-decimal.js';
import { factBytesOf, factRowsTable } from '../../../src/adapters/delta/delta-fact-bytes.js';
import { valueStat } from '../../../src/adapters/delta/delta-stats.js';
import type { FactColumns } from '../../../src/domain/kpi/fact-columns.js';

/** the reference: each value's 128-bit two's complement through BigInt */
const bigintWords = (values: readonly (number | null)[]): Uint32Array => {
  const words = new Uint32Array(values.length * 4);
  const wide = new BigInt64Array(words.buffer);
  values.forEach((v, i) => {
    if (v === null) return;
    wide[2 * i] = BigInt(v);
    wide[2 * i + 1] = v < 0 ? -1n : 0n;
  });
  return words;
};

const safe = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 32, -(2 ** 32), -0),
  fc
    .double({ min: -(2 ** 53), max: 2 ** 53, noNaN: true })
    .map(Math.trunc)
    .filter(Number.isSafeInteger),
);

it('decimal128Words gives the BigInt two’s complement of every safe integer, nulls zero', () => {
  fc.assert(
    fc.property(fc.array(fc.option(safe, { nil: null })), (values) => {
      expect(decimal128Words(values)).toEqual(bigintWords(values));
    }),
  );
  expect(() => decimal128Words([1.5])).toThrow(TypeError);
  expect(() => decimal128Words([2 ** 53])).toThrow(TypeError);
});

const field = (name: string) => ORDER_FACTS.fields.find((f) => f.name === name)!;

/** facts of the given times and cents (the strings fixed) */
const factsOf = (times: readonly number[], cents: readonly (number | null)[]): FactColumns => {
  const n = times.length;
  const text = (s: string) => Array.from({ length: n }, () => s);
  return {
    length: n,
    itemId: Array.from({ length: n }, (_, i) => String(i)),
    orderId: text('1'),
    userId: text('u'),
    orderStatus: text('complete'),
    orderCreatedAt: Float64Array.from(times),
    productId: text('p'),
    category: text('c'),
    salePriceCents: cents as number[],
  };
};

describe('order_facts numeric columns from the bytes', () => {
  it('equal columnData and valueStat of the same rows (nulls, negatives, any row order)', () => {
    const time = fc.integer({ min: -1e13, max: 1e13 });
    const cents = fc.option(fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), safe), {
      nil: null,
      freq: 4,
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(time, cents), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        (cells, picks) => {
          const facts = factsOf(
            cells.map(([t]) => t),
            cells.map(([, c]) => c),
          );
          const rows = picks.map((p) => p % cells.length);
          const fields = [field('order_created_at'), field('sale_price')];
          const { table } = factRowsTable(factBytesOf([], facts), fields, rows);
          const times = rows.map((r) => cells[r]![0]);
          const amounts = rows.map((r) => cells[r]![1]);
          const expected = [
            [columnData(fields[0]!, times), valueStat(fields[0]!, times)],
            [columnData(fields[1]!, amounts), valueStat(fields[1]!, amounts)],
          ] as const;
          expected.forEach(([data, stat], k) => {
            const got = table.getChildAt(k)!.data[0]!;
            expect(got.nullCount).toBe(data.nullCount);
            expect(got.values).toEqual(data.values);
            expect(got.nullBitmap ?? null).toEqual(data.nullBitmap ?? null);
            expect(arrow.util.compareTypes(got.type, data.type)).toBe(true);
            void stat;
          });
          // the stats JSON: what statsObject makes of valueStat's
          const { stats } = factRowsTable(factBytesOf([], facts), fields, rows);
          const parsed = JSON.parse(stats) as {
            minValues: Record<string, unknown>;
            maxValues: Record<string, unknown>;
            nullCount: Record<string, number>;
          };
          expected.forEach(([, stat], k) => {
            const name = fields[k]!.name;
            expect(parsed.nullCount[name]).toBe(stat.nullCount);
            expect(parsed.minValues[name]).toEqual(
              stat.min === undefined ? undefined : JSON.parse(stat.min),
            );
            expect(parsed.maxValues[name]).toEqual(
              stat.max === undefined ? undefined : JSON.parse(stat.max),
            );
          });
        },
      ),
    );
  });

  it('takes a time beyond the fast path (NaN, a fraction of a µs, past 2^53 µs) as the inline writer does', () => {
    const fields = [field('order_created_at')];
    for (const t of [NaN, 0.0005, 8e15]) {
      const bytes = factBytesOf([], factsOf([0, t], [1, 2]));
      let inline: arrow.Data | Error;
      try {
        inline = columnData(fields[0]!, [0, t]);
      } catch (e) {
        inline = e as Error;
      }
      if (inline instanceof Error) {
        expect(() => factRowsTable(bytes, fields, [0, 1])).toThrow(inline.constructor as never);
      } else {
        const { table } = factRowsTable(bytes, fields, [0, 1]);
        expect(table.getChildAt(0)!.data[0]!.values).toEqual(inline.values);
      }
    }
  });
});
