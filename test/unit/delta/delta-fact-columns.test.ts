// The order_facts write copies the fact columns straight into per-date columns (factSources,
// pushRowsOf) instead of building a Row per fact (factToRow, the readable mapping). The columns, the Parquet bytes and
// the stats must be exactly those of the rows, and the sorted-id shortcut of the merge plan must
// order ids as UTF-8 does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FACT_COLUMNS,
  ORDER_FACTS,
  factSources,
  factToRow,
} from '../../../src/adapters/delta/delta-analytics-rows.js';
import {
  ColumnsBuilder,
  columnsOfRows,
  columnsView,
} from '../../../src/adapters/delta/delta-columns.js';
import { encodeColumns, encodeDataFile } from '../../../src/adapters/delta/delta-data-file.js';
import {
  columnStatsJson,
  compareUtf8,
  statsJson,
} from '../../../src/adapters/delta/delta-stats.js';
import { factColumnsOf } from '../../../src/domain/kpi/fact-columns.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';

const DATA_FIELDS = ORDER_FACTS.fields.filter((f) => f.name !== 'order_date');

const fact: fc.Arbitrary<Fact> = fc.record({
  itemId: fc.string({ minLength: 1, unit: 'grapheme' }),
  orderId: fc.string({ minLength: 1 }),
  userId: fc.string(),
  orderStatus: fc.constantFrom('complete', 'returned', 'shipped', ''),
  orderCreatedAt: fc.integer({ min: -2e12, max: 5e12 }),
  productId: fc.string(),
  category: fc.option(fc.string({ unit: 'grapheme' }), { nil: null }),
  salePriceCents: fc.integer({ min: -1e12, max: 1e12 }),
});

describe('order_facts columns', () => {
  it('the fact columns copied by row number give the columns, Parquet bytes and stats of factToRow', () => {
    fc.assert(
      fc.property(fc.array(fact, { minLength: 1, maxLength: 40 }), fc.nat(), (facts, seed) => {
        // a subset of the rows (as a date's rows are picked out of a group)
        const picked = facts.map((_, i) => i).filter((i) => (seed >> (i % 30)) % 3 !== 0);
        const sources = factSources(factColumnsOf(facts));
        // into a builder holding kept rows already, and into empty columns
        const kept = facts.slice(0, 2).map(factToRow);
        const appended = new ColumnsBuilder(FACT_COLUMNS);
        kept.forEach((row) => appended.pushRow(row));
        appended.pushRowsOf(sources, picked);
        const built = new ColumnsBuilder(FACT_COLUMNS);
        built.pushRowsOf(sources, picked);
        const view = columnsView(FACT_COLUMNS, sources, picked);
        const rows = picked.map((i) => factToRow(facts[i] as Fact));
        expect(appended.values).toEqual(columnsOfRows(FACT_COLUMNS, [...kept, ...rows]).values);
        for (const columns of [built, view]) {
          expect(columns.length).toBe(picked.length);
          expect({ ...columns.values }).toEqual(columnsOfRows(FACT_COLUMNS, rows).values);
          expect(Buffer.from(encodeColumns(DATA_FIELDS, columns))).toEqual(
            Buffer.from(encodeDataFile(DATA_FIELDS, rows)),
          );
          expect(columnStatsJson(DATA_FIELDS, columns)).toBe(statsJson(DATA_FIELDS, rows));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('FACT_COLUMNS are exactly the data columns of order_facts', () => {
    expect([...FACT_COLUMNS].sort()).toEqual(DATA_FIELDS.map((f) => f.name).sort());
  });

  it('below U+D800 the native string order is the UTF-8 order', () => {
    const low = fc.string({ unit: fc.integer({ min: 0, max: 0xd7ff }).map(String.fromCharCode) });
    fc.assert(
      fc.property(fc.array(low), (ids) => {
        expect([...ids].sort()).toEqual([...ids].sort(compareUtf8));
      }),
    );
  });
});
