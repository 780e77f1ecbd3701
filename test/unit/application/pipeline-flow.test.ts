// The use cases end to end over the in-memory adapters and the local state machine.
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { inMemoryApp } from '../../../src/entrypoints/composition/in-memory.container.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS_H =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
const PRODUCTS_H = 'id,sku,cost,category,name,brand,retail_price,department';

const products = [
  PRODUCTS_H,
  'p1,S1,5.00,Beauty,Cream,Acme,10.00,Care',
  'p2,S2,7.00,Toys,Ball,Wonka,14.00,Kids',
].join('\n');
const orders = (status2 = 'delivered') =>
  [
    ORDERS_H,
    '1,u1,delivered,2025-03-01T10:00:00,,,,2',
    `2,u2,${status2},2025-03-02T11:00:00,,,,1`,
  ].join('\n');
const itemsA = [ITEMS_H, 'i1,1,u1,p1,delivered,,,,,10.00'].join('\n');
const itemsB = [ITEMS_H, 'i2,1,u1,p2,delivered,,,,,14.50', 'i3,2,u2,p1,delivered,,,,,10.00'].join(
  '\n',
);

type Delivery = readonly [name: string, text: string];
const PRODUCTS: Delivery = ['products.csv', products];
const ORDERS: Delivery = ['orders.csv', orders()];
const ITEMS_A: Delivery = ['items-a.csv', itemsA];
const ITEMS_B: Delivery = ['items-b.csv', itemsB];

const landAll = async (app: ReturnType<typeof inMemoryApp>, files: readonly Delivery[]) => {
  for (const [name, text] of files) await app.deliver(name, enc(text));
  return app.processUntilIdle();
};

/** a fresh app with these files delivered in this order and processed */
const appWith = async (...files: Delivery[]) => {
  const app = inMemoryApp();
  await landAll(app, files);
  return app;
};

describe('pipeline over in-memory adapters', () => {
  it('completes orders across files and computes KPIs per date', async () => {
    const app = await appWith(ITEMS_A, ORDERS, PRODUCTS, ITEMS_B);
    const kpis = await app.kpis();
    expect(kpis.order).toEqual([
      {
        order_date: '2025-03-01',
        total_orders: 1,
        total_revenue: 24.5,
        total_items_sold: 2,
        return_rate: 0,
        unique_customers: 1,
      },
      {
        order_date: '2025-03-02',
        total_orders: 1,
        total_revenue: 10,
        total_items_sold: 1,
        return_rate: 0,
        unique_customers: 1,
      },
    ]);
    const status = await app.status();
    expect(status.pending).toEqual([]);
    expect(status.groups.every((g) => g.status === 'archived')).toBe(true);
    expect((await app.replay()).differences).toEqual([]);
  });

  it('a re-delivered identical file appends nothing and starts nothing', async () => {
    const app = await appWith(PRODUCTS, ORDERS, ITEMS_A, ITEMS_B);
    const before = await app.eventLog();
    const again = await app.deliver('orders-copy.csv', enc(orders()));
    expect(isRight(again) && again.right._tag).toBe('Duplicate');
    expect(await app.processUntilIdle()).toEqual([]);
    expect(await app.eventLog()).toEqual(before);
  });

  it('a changed status (delivered -> returned) updates only that date', async () => {
    const app = await appWith(PRODUCTS, ORDERS, ITEMS_A, ITEMS_B);
    const before = await app.kpis();
    await landAll(app, [['orders-v2.csv', orders('returned')]]);
    const after = await app.kpis();
    expect(after.order[0]).toEqual(before.order[0]);
    expect(after.order[1]?.return_rate).toBe(1);
    expect(after.category.filter((c) => c.order_date === '2025-03-01')).toEqual(
      before.category.filter((c) => c.order_date === '2025-03-01'),
    );
  });

  it('rejects a file with an invalid row whole, then lands the corrected file', async () => {
    const app = await appWith(PRODUCTS, ITEMS_A, ITEMS_B);
    const bad = orders().replace('2,u2,delivered', '2,,delivered');
    const rejected = await app.deliver('orders.csv', enc(bad));
    expect(isLeft(rejected)).toBe(true);
    if (isLeft(rejected)) {
      expect(rejected.left.errors).toEqual([{ rule: 'required.not-null', failed: 1 }]);
      const sample = rejected.left.verdict.rules.find((r) => r.rule === 'required.not-null')
        ?.samples[0];
      expect(sample).toMatchObject({ line: 3, key: '2', file: 'incoming/orders.csv' });
    }
    await app.processUntilIdle();
    expect((await app.kpis()).order).toEqual([]);
    expect((await app.status()).pending.map((p) => p.orderId)).toEqual(['1', '2']);
    await landAll(app, [ORDERS]);
    expect((await app.kpis()).order.map((o) => o.order_date)).toEqual(['2025-03-01', '2025-03-02']);
  });

  it('an order missing an item stays pending and says what it lacks', async () => {
    const app = await appWith(PRODUCTS, ORDERS, ITEMS_B);
    const status = await app.status();
    expect(status.pending).toMatchObject([
      { orderId: '1', hasOrderRow: true, expectedItems: 2, landedItems: 1 },
    ]);
    expect((await app.kpis()).order.map((o) => o.order_date)).toEqual(['2025-03-02']);
    expect((await app.replay()).differences).toEqual([]);
  });
});
