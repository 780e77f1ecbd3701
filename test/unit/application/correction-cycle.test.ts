// Issue 12 point 2: an order corrected A -> B -> A completes three times; each completion is its
// own group (own stream, own execution) and the last one wins in the KPIs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRight } from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { localApp } from '../../../src/entrypoints/composition/local.container.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS_H =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
const PRODUCTS_H = 'id,sku,cost,category,name,brand,retail_price,department';

const products = `${PRODUCTS_H}\np1,S1,5.00,Beauty,Cream,Acme,10.00,Care\n`;
const items = `${ITEMS_H}\ni1,1,u1,p1,delivered,,,,,10.00\n`;
// A: order 1 on March 1st; B: the same order moved to March 5th and returned
const orderA = '1,u1,delivered,2025-03-01T10:00:00,,,,1';
const orderB = '1,u1,returned,2025-03-05T10:00:00,,,,1';

const homes: string[] = [];
afterAll(() => homes.forEach((h) => rmSync(h, { recursive: true, force: true })));

describe('A -> B -> A correction through the embedded pipeline', () => {
  it('forms and runs three groups, and ends with the KPIs of A', async () => {
    const home = mkdtempSync(join(tmpdir(), 'shop-pipeline-aba-'));
    homes.push(home);
    const reference = mkdtempSync(join(tmpdir(), 'shop-pipeline-aba-ref-'));
    homes.push(reference);

    // what A alone gives
    const onlyA = localApp({ home: reference, logLevel: 'silent' });
    await onlyA.deliver('products.csv', enc(products), 'products');
    await onlyA.deliver('items.csv', enc(items), 'order_items');
    await onlyA.deliver('orders-a.csv', enc(`${ORDERS_H}\n${orderA}\n`), 'orders');
    await onlyA.processUntilIdle();
    const kpisOfA = await onlyA.kpis();
    await onlyA.close();
    expect(kpisOfA.order.map((k) => k.order_date)).toEqual(['2025-03-01']);

    const app = localApp({ home, logLevel: 'silent' });
    try {
      await app.deliver('products.csv', enc(products), 'products');
      await app.deliver('items.csv', enc(items), 'order_items');
      const groups: string[] = [];
      // three different files: A, then B, then A again (CRLF line ends, so the bytes differ
      // from the first file while the order's content is the same)
      const versions = [
        ['orders-a.csv', `${ORDERS_H}\n${orderA}\n`],
        ['orders-b.csv', `${ORDERS_H}\n${orderB}\n`],
        ['orders-a-again.csv', `${ORDERS_H}\r\n${orderA}\r\n`],
      ] as const;
      for (const [name, text] of versions) {
        const landed = await app.deliver(name, enc(text), 'orders');
        expect(isRight(landed) && landed.right._tag).toBe('Landed');
        const formed = isRight(landed) ? landed.right.groups.map((g) => g.groupId) : [];
        expect(formed).toHaveLength(1);
        // a landing that reports a formed group dispatches it
        expect(await app.processUntilIdle()).toEqual(formed);
        groups.push(...formed);
      }
      expect(new Set(groups).size).toBe(3);
      const status = await app.status();
      for (const id of groups) {
        expect(status.groups.find((g) => g.groupId === id)?.status).toBe('archived');
      }
      expect(await app.kpis()).toEqual(kpisOfA);
      expect(await app.kpis({}, 'delta')).toEqual(kpisOfA);
    } finally {
      await app.close();
    }
  });
});
