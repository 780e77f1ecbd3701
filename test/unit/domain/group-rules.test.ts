import { describe, expect, it } from 'vitest';
import type { GroupData } from '../../../src/domain/group-data.js';
import { validateGroup } from '../../../src/domain/validation/group-rules.js';
import type { RuleId, ValidationVerdict } from '../../../src/domain/validation/verdict.js';
import { item, order, product, sourced } from './facts-fixtures.js';

const good: GroupData = {
  orders: [sourced('o.csv', 'orders', [order('O1', 'U1', 'delivered', '2025-03-01T10:00:00Z', 2)])],
  items: [
    sourced('i.csv', 'order_items', [
      item('I1', 'O1', 'U1', 'P1', 10),
      item('I2', 'O1', 'U1', 'P2', 20),
    ]),
  ],
  products: [sourced('p.csv', 'products', [product('P1', 'Books'), product('P2', 'Toys')])],
};

const rule = (v: ValidationVerdict, id: RuleId) => {
  const r = v.rules.find((x) => x.rule === id);
  if (r === undefined) throw new Error(`rule ${id} missing from verdict`);
  return r;
};

describe('validateGroup', () => {
  it('passes a consistent group', () => {
    const v = validateGroup('g1', good);
    expect(v).toMatchObject({ subject: 'g1', dataset: null, ok: true, rowsChecked: 5 });
    expect(v.rules.map((r) => [r.rule, r.severity, r.scope, r.failed])).toEqual([
      ['ref.item-user', 'warn', 'group', 0],
      ['group.item-count', 'error', 'group', 0],
      ['group.conflicting-versions', 'error', 'group', 0],
      ['group.references-present', 'error', 'group', 0],
    ]);
    expect(rule(v, 'group.item-count').checked).toBe(1);
    expect(rule(v, 'ref.item-user').checked).toBe(2);
  });

  it('warns (but stays ok) when an item user differs from its order user', () => {
    const items = [
      sourced('i.csv', 'order_items', [
        item('I1', 'O1', 'U1', 'P1', 10),
        item('I2', 'O1', 'U9', 'P2', 20),
      ]),
    ];
    const v = validateGroup('g1', { ...good, items });
    expect(v.ok).toBe(true);
    expect(rule(v, 'ref.item-user')).toMatchObject({ failed: 1 });
    expect(rule(v, 'ref.item-user').samples[0]).toMatchObject({
      file: 'i.csv',
      line: 3,
      key: 'I2',
      value: 'U9',
    });
  });

  it('fails when an order has fewer items than num_of_item', () => {
    const items = [sourced('i.csv', 'order_items', [item('I1', 'O1', 'U1', 'P1', 10)])];
    const v = validateGroup('g1', { ...good, items });
    expect(v.ok).toBe(false);
    expect(rule(v, 'group.item-count').samples).toEqual([
      {
        file: 'o.csv',
        line: 2,
        key: 'O1',
        column: 'num_of_item',
        value: '2',
        message: 'order O1 has 1 item(s) but num_of_item is 2',
      },
    ]);
  });

  it('counts items by id, so a repeated identical item row is not a second item', () => {
    const items = [
      sourced('a.csv', 'order_items', [
        item('I1', 'O1', 'U1', 'P1', 10),
        item('I2', 'O1', 'U1', 'P2', 20),
      ]),
      sourced('b.csv', 'order_items', [item('I2', 'O1', 'U1', 'P2', 20)]),
    ];
    const v = validateGroup('g1', { ...good, items });
    expect(v.ok).toBe(true);
    expect(rule(v, 'group.item-count').failed).toBe(0);
  });

  it('fails when one order id appears with different content', () => {
    const orders = [
      ...good.orders,
      sourced('o2.csv', 'orders', [order('O1', 'U1', 'returned', '2025-03-01T10:00:00Z', 2)]),
    ];
    const v = validateGroup('g1', { ...good, orders });
    expect(v.ok).toBe(false);
    const r = rule(v, 'group.conflicting-versions');
    expect(r.failed).toBe(1);
    expect(r.samples[0]).toMatchObject({ file: 'o2.csv', line: 2, key: 'O1' });
    expect(r.samples[0]?.message).toContain('o.csv:2');
  });

  it('fails when one item id appears with a different price', () => {
    const items = [
      ...good.items,
      sourced('b.csv', 'order_items', [item('I1', 'O1', 'U1', 'P1', 11)]),
    ];
    const v = validateGroup('g1', { ...good, items });
    expect(rule(v, 'group.conflicting-versions').failed).toBe(1);
    expect(v.ok).toBe(false);
  });

  it('fails when an item references an absent order or product', () => {
    const items = [
      sourced('i.csv', 'order_items', [
        item('I1', 'O1', 'U1', 'P1', 10),
        item('I2', 'O1', 'U1', 'P404', 20),
        item('I3', 'O404', 'U1', 'P1', 20),
      ]),
    ];
    const v = validateGroup('g1', { ...good, items });
    expect(v.ok).toBe(false);
    const r = rule(v, 'group.references-present');
    expect(r).toMatchObject({ checked: 3, failed: 2 });
    expect(r.samples.map((s) => s.message)).toEqual([
      'item I2 references missing product P404',
      'item I3 references missing order O404',
    ]);
  });

  it('caps the samples but counts every failure', () => {
    const rows = Array.from({ length: 30 }, (_, i) => item(`I${i}`, 'O404', 'U1', 'P1', 1));
    const v = validateGroup('g1', { ...good, items: [sourced('i.csv', 'order_items', rows)] }, 5);
    const r = rule(v, 'group.references-present');
    expect(r.failed).toBe(30);
    expect(r.samples).toHaveLength(5);
  });
});
