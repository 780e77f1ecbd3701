import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { SCHEMAS } from '../../../src/domain/datasets.js';
import { utcDate } from '../../../src/domain/dates.js';
import { sampleShop } from '../../../src/domain/sample/sample-shop.js';
import { parseTimestamp } from '../../../src/domain/values.js';

const rowsOf = (lines: Iterable<string>): Record<string, string>[] =>
  parse([...lines].join('\n'), { columns: true }) as Record<string, string>[];

const headerOf = (lines: Iterable<string>): string => {
  for (const line of lines) return line;
  throw new Error('no header');
};

const take = (lines: Iterable<string>, n: number): string[] => {
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    if (out.length === n) break;
  }
  return out;
};

describe('sampleShop', () => {
  const shop = sampleShop({ orders: 300, seed: 7 });
  const orders = rowsOf(shop.orders);
  const items = rowsOf(shop.orderItems);
  const products = rowsOf(shop.products);

  it('is deterministic for a seed and differs across seeds', () => {
    const again = sampleShop({ orders: 300, seed: 7 });
    expect([...again.orderItems]).toEqual([...shop.orderItems]);
    expect([...again.products]).toEqual([...shop.products]);
    expect([...sampleShop({ orders: 300, seed: 8 }).orders]).not.toEqual([...shop.orders]);
  });

  it('writes exactly the dataset columns as headers', () => {
    expect(headerOf(shop.orders)).toBe(SCHEMAS.orders.columns.map((c) => c.name).join(','));
    expect(headerOf(shop.orderItems)).toBe(
      SCHEMAS.order_items.columns.map((c) => c.name).join(','),
    );
    expect(headerOf(shop.products)).toBe(SCHEMAS.products.columns.map((c) => c.name).join(','));
  });

  it('gives every order num_of_item items (1-4) of its own user, referencing existing products', () => {
    expect(orders).toHaveLength(300);
    const productIds = new Set(products.map((p) => p.id));
    const byOrder = new Map<string, Record<string, string>[]>();
    for (const it of items)
      byOrder.set(it.order_id as string, [...(byOrder.get(it.order_id as string) ?? []), it]);
    for (const o of orders) {
      const its = byOrder.get(o.order_id as string) ?? [];
      expect(its.length).toBe(Number(o.num_of_item));
      expect(its.length).toBeGreaterThanOrEqual(1);
      expect(its.length).toBeLessThanOrEqual(4);
      for (const it of its) {
        expect(it.user_id).toBe(o.user_id);
        expect(productIds.has(it.product_id as string)).toBe(true);
      }
    }
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });

  it('covers the statuses, several categories and days, and 2-decimal money', () => {
    expect(new Set(orders.map((o) => o.status))).toEqual(
      new Set(['delivered', 'returned', 'cancelled', 'shipped', 'processing']),
    );
    expect(new Set(products.map((p) => p.category)).size).toBeGreaterThanOrEqual(6);
    for (const it of items) expect(it.sale_price).toMatch(/^\d+\.\d{2}$/);
    for (const p of products)
      expect(`${p.cost} ${p.retail_price}`).toMatch(/^\d+\.\d{2} \d+\.\d{2}$/);
    const days = new Set(
      orders.map((o) => utcDate(parseTimestamp(o.created_at as string) as number)),
    );
    expect(days.size).toBe(7);
    expect([...days].sort()[0]).toBe('2025-03-01');
  });

  it('writes parseable timestamps, some with zones whose local date is not the UTC date', () => {
    let crossing = 0;
    for (const o of orders) {
      const raw = o.created_at as string;
      const epoch = parseTimestamp(raw);
      expect(typeof epoch, raw).toBe('number');
      if (raw.slice(0, 10) !== utcDate(epoch as number)) crossing++;
    }
    expect(crossing).toBeGreaterThan(0);
  });

  it('quotes fields that hold commas or quotes', () => {
    const quoted = [...shop.products].filter((l) => l.includes('"'));
    expect(quoted.length).toBeGreaterThan(0);
    expect(products.some((p) => (p.name as string).includes(','))).toBe(true);
  });

  it('streams lazily: the first lines of a 1,000,000-order shop come at once', () => {
    const started = performance.now();
    const big = sampleShop({ orders: 1_000_000, seed: 1 });
    expect(take(big.orders, 10)).toHaveLength(10);
    expect(take(big.orderItems, 10)).toHaveLength(10);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
