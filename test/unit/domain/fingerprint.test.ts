import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/domain/fingerprint.js';
import { rowHash, rowHashes } from '../../../src/domain/row-hashes.js';
import { batchOf, item, type RowLiteral } from './facts-fixtures.js';

describe('fingerprint', () => {
  it('is a stable 16-digit hex string', () => {
    expect(fingerprint(['a', 'b'])).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint(['a', 'b'])).toBe(fingerprint(['a', 'b']));
  });

  it('tells apart null and empty, separators inside parts, and order', () => {
    const distinct = [
      fingerprint([]),
      fingerprint(['']),
      fingerprint([null]),
      fingerprint(['', '']),
      fingerprint(['a,b']),
      fingerprint(['a', 'b']),
      fingerprint(['b', 'a']),
      fingerprint(['ab']),
      fingerprint(['1:a']),
      fingerprint(['1', 'a']),
    ];
    expect(new Set(distinct).size).toBe(distinct.length);
  });

  it('differs for distinct inputs (no collisions in random samples)', () => {
    const parts = fc.array(fc.option(fc.string(), { nil: null }), { maxLength: 4 });
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(fingerprint(a)).not.toBe(fingerprint(b));
      }),
    );
  });
});

describe('rowHashes', () => {
  const rows: RowLiteral[] = [item('I1', 'O1', 'U1', 'P1', 10), item('I2', 'O1', 'U1', 'P1', 10)];

  it('hashes identical rows equally wherever they sit', () => {
    const a = rowHashes(batchOf('order_items', rows));
    const b = rowHashes(batchOf('order_items', [rows[1] as RowLiteral, rows[0] as RowLiteral], 40));
    expect(a).toEqual([b[1], b[0]]);
    expect(a[0]).not.toBe(a[1]);
  });

  it('changes when any single cell changes, including to or from null', () => {
    const base = { ...item('I1', 'O1', 'U1', 'P1', 10), created_at: 1000 };
    const [h] = rowHashes(batchOf('order_items', [base]));
    const variants: RowLiteral[] = [
      { ...base, status: 'returned' },
      { ...base, sale_price: 11 },
      { ...base, sale_price: null },
      { ...base, created_at: 1001 },
      { ...base, created_at: null },
      { ...base, user_id: '' },
      { ...base, user_id: null },
    ];
    for (const v of rowHashes(batchOf('order_items', variants))) expect(v).not.toBe(h);
    expect(new Set(rowHashes(batchOf('order_items', variants))).size).toBe(variants.length);
  });

  it('hashes numbers by value', () => {
    const [a] = rowHashes(batchOf('order_items', [{ ...rows[0], sale_price: 10 }]));
    const [b] = rowHashes(batchOf('order_items', [{ ...rows[0], sale_price: 10.0 }]));
    expect(a).toBe(b);
  });

  it('hashes one row like the batch does', () => {
    const batch = batchOf('order_items', rows);
    expect(rowHash(batch, 1)).toBe(rowHashes(batch)[1]);
  });
});
