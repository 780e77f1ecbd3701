// ColumnBatchBuilder.pushSpans (cells parsed where they lie in the text) must build exactly the
// batch that push (cells given as strings) builds: same values, nulls, lower-cased statuses,
// parse failures (with their raw text) and lines, for any column order, missing columns and
// short records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnBatchBuilder } from '../../../src/adapters/csv/column-batch-builder.js';
import { SCHEMAS } from '../../../src/domain/datasets.js';

const chars = fc.constantFrom(...'0123456789-:.TZ +UTCabcDELIVERED'.split(''));
const cell = fc.oneof(
  fc.constant(''),
  fc.array(chars, { maxLength: 12 }).map((a) => a.join('')),
  fc
    .tuple(fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }), fc.nat(13))
    .map(([d, cut]) => d.toISOString().slice(0, 11 + cut)),
  fc.tuple(fc.integer({ min: -999, max: 99999 }), fc.nat(999)).map(([w, f]) => `${w}.${f}`),
  fc.constantFrom('Delivered', 'SHIPPED', 'complete', '7', '-3', '2.5'),
);

describe('ColumnBatchBuilder', () => {
  it('builds the same batch from spans of a line as from its fields', () => {
    const width = SCHEMAS.order_items.columns.length;
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          Array.from({ length: width + 2 }, (_, k) => k),
          { minLength: width, maxLength: width },
        ),
        fc.array(fc.array(cell, { minLength: 0, maxLength: width + 2 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 16 }),
        (indexes, records, capacity) => {
          const byFields = new ColumnBatchBuilder('order_items', indexes, capacity);
          const bySpans = new ColumnBatchBuilder('order_items', indexes, capacity);
          const a = [];
          const b = [];
          records.forEach((fields, r) => {
            const before = 'x,9,';
            const text = `${before}${fields.join(',')}\n12`;
            const starts = new Int32Array(fields.length);
            const ends = new Int32Array(fields.length);
            let at = before.length;
            fields.forEach((f, k) => {
              starts[k] = at;
              ends[k] = at + f.length;
              at += f.length + 1;
            });
            byFields.push(fields, r + 2);
            bySpans.pushSpans(text, starts, ends, fields.length, r + 2);
            if (byFields.full) a.push(byFields.flush());
            if (bySpans.full) b.push(bySpans.flush());
          });
          a.push(byFields.flush());
          b.push(bySpans.flush());
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 500 },
    );
  });
});
