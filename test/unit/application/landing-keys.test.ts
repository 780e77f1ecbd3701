// LandingKeysBuilder shares repeated key strings to keep a big landing's keys small; what it
// builds must still be exactly the landed rows' keys, in file order, batch after batch.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LandingKeysBuilder } from '../../../src/application/landing-keys.js';
import { selectRows } from '../../../src/application/staged-rows.js';
import type { ColumnBatch } from '../../../src/domain/columns.js';
import { hexOfWords } from '../../../src/domain/hex-words.js';
import { rowHashes } from '../../../src/domain/row-hashes.js';

const strings = (values: (string | null)[]) => ({ type: 'string' as const, values });
const numbers = (values: (number | null)[]) => ({
  type: 'int' as const,
  values: Float64Array.from(values.map((v) => v ?? 0)),
  valid: Uint8Array.from(values.map((v) => (v === null ? 0 : 1))),
});
const lines = (n: number) => Uint32Array.from({ length: n }, (_, i) => i + 2);

const itemsBatch = (rows: [string, string, string][]): ColumnBatch => ({
  dataset: 'order_items',
  length: rows.length,
  columns: {
    id: strings(rows.map((r) => r[0])),
    order_id: strings(rows.map((r) => r[1])),
    product_id: strings(rows.map((r) => r[2])),
  },
  lines: lines(rows.length),
});

// few distinct values, so orders repeat (adjacent or not) and products recur
const id = fc.constantFrom('a', 'b', 'c', 'd', '', 'é', '\u{1F600}');
const itemRows = fc.array(fc.tuple(id, id, id), { maxLength: 30 });

describe('LandingKeysBuilder', () => {
  it('builds exactly the kept rows of every batch, in order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(itemRows, fc.array(fc.nat(40))), { maxLength: 5 }), (parts) => {
        const keys = new LandingKeysBuilder('order_items');
        const want: { rows: [string, string, string][]; hashes: string[] } = {
          rows: [],
          hashes: [],
        };
        for (const [rows, dropped] of parts) {
          const batch = itemsBatch(rows);
          const kept = new Set(rows.map((_, r) => r).filter((r) => !dropped.includes(r)));
          // the landing leaves quarantined rows out as it does (selectRows)
          keys.add(selectRows(batch, [...kept]));
          const hashes = rowHashes(batch);
          for (const r of kept) {
            want.rows.push(rows[r] as [string, string, string]);
            want.hashes.push(hashes[r] as string);
          }
        }
        const built = keys.build('i.csv', 'staging/i.parquet');
        if (built.dataset !== 'order_items') throw new Error('wrong dataset');
        expect(built.itemIds).toEqual(want.rows.map((r) => r[0]));
        expect(built.orderIds).toEqual(want.rows.map((r) => r[1]));
        expect(built.productIds).toEqual(want.rows.map((r) => r[2]));
        expect(built.hashes).toEqual(want.hashes);
        // the same hashes as words (what the SQLite index reads), hi word second
        const words = built.hashWords ?? new Uint32Array(0);
        expect(words.length).toBe(2 * want.hashes.length);
        want.hashes.forEach((h, r) =>
          expect(hexOfWords(words[2 * r + 1] as number, words[2 * r] as number)).toBe(h),
        );
        expect(built).toMatchObject({ fileKey: 'i.csv', stagedKey: 'staging/i.parquet' });
        // handed over: the builder starts again from nothing
        const next = keys.build('i.csv', 'staging/i.parquet');
        expect(next).toMatchObject({ itemIds: [], orderIds: [], productIds: [], hashes: [] });
        // released by the index once read: the columns are emptied, the next keys untouched
        keys.add(itemsBatch([['x', 'y', 'z']]));
        const kept = keys.build('k.csv', 'staging/k.parquet');
        built.release?.();
        expect(built).toMatchObject({ itemIds: [], orderIds: [], productIds: [], hashes: [] });
        expect(built.hashWords).toHaveLength(0);
        expect(kept).toMatchObject({ itemIds: ['x'], orderIds: ['y'], productIds: ['z'] });
      }),
    );
  });

  it('keeps an order row’s numbers, a missing one as NaN, and a missing id as empty', () => {
    const keys = new LandingKeysBuilder('orders');
    const batch: ColumnBatch = {
      dataset: 'orders',
      length: 3,
      columns: {
        order_id: strings(['o1', null, 'o3']),
        num_of_item: numbers([2, null, 1]),
        created_at: { ...numbers([5, 6, null]), type: 'timestamp' },
      },
      lines: lines(3),
    };
    keys.add(batch);
    const built = keys.build('o.csv', 'staging/o.parquet');
    if (built.dataset !== 'orders') throw new Error('wrong dataset');
    expect(built.orderIds).toEqual(['o1', '', 'o3']);
    expect([...built.numOfItems]).toEqual([2, Number.NaN, 1]);
    expect([...built.createdAt]).toEqual([5, 6, Number.NaN]);
    expect(built.hashes).toEqual(rowHashes(batch));
  });

  it('a products file lands its ids', () => {
    const keys = new LandingKeysBuilder('products');
    const batch: ColumnBatch = {
      dataset: 'products',
      length: 2,
      columns: { id: strings(['p1', 'p2']) },
      lines: lines(2),
    };
    keys.add(batch);
    expect(keys.build('p.csv', 'staging/p.parquet')).toMatchObject({
      dataset: 'products',
      productIds: ['p1', 'p2'],
      hashes: rowHashes(batch),
    });
  });
});
