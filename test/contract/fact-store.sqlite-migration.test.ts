// Schema step 8 (a fact's date as a UTC day number) keeps every fact an older state file held,
// under the same date, and the store answers by YYYY-MM-DD as before.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { MIGRATIONS, openSqlite } from '../../src/adapters/sqlite/sqlite-database.js';
import { SqliteFactStore } from '../../src/adapters/sqlite/sqlite-fact-store.js';
import { factColumnsOf } from '../../src/domain/kpi/fact-columns.js';
import type { Fact } from '../../src/domain/kpi/kpi.types.js';

const at = (iso: string): number => Date.parse(iso);
const fact = (itemId: string, orderId: string, createdAt: number, cents: number): Fact => ({
  itemId,
  orderId,
  userId: `u-${orderId}`,
  orderStatus: 'delivered',
  orderCreatedAt: createdAt,
  productId: 'p1',
  category: 'Shoes',
  salePriceCents: cents,
});

it('facts stored with text dates (before step 8) are found by date after step 8', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-facts-migrate-'));
  try {
    const path = join(dir, 'state.db');
    const old = new Database(path);
    // every step before step 8 (MIGRATIONS[8]), as a state file written by the last release
    MIGRATIONS.slice(0, 8).forEach((sql) => old.exec(sql));
    old.pragma('user_version = 8');
    const insert = old.prepare('INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    // one just before a UTC midnight, one before 1970 (a negative day number)
    insert.run(
      '2025-03-01',
      'o1',
      'i1',
      'u-o1',
      'delivered',
      at('2025-03-01T23:59:59.999Z'),
      'p1',
      'Shoes',
      1999,
    );
    insert.run(
      '1969-12-31',
      'o2',
      'i2',
      'u-o2',
      'returned',
      at('1969-12-31T12:00:00Z'),
      'p1',
      null,
      500,
    );
    old.close();

    const db = openSqlite(path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const store = new SqliteFactStore(db);
    expect(await store.count()).toBe(2);
    expect((await store.forDates(['2025-03-01'])).map((f) => f.itemId)).toEqual(['i1']);
    expect((await store.forDates(['1969-12-31'])).map((f) => f.itemId)).toEqual(['i2']);
    const totals = await store.kpiTotals(['2025-03-01', '1969-12-31']);
    expect(totals.days.map((d) => [d.date, d.items, d.revenueCents])).toEqual([
      ['1969-12-31', 1, 500n],
      ['2025-03-01', 1, 1999n],
    ]);
    // item i1 moves to a new order on another day: its old date is touched, its old fact goes
    const touched = await store.replaceOrders(
      ['o3'],
      factColumnsOf([fact('i1', 'o3', at('2025-03-02T00:00:00Z'), 2500)]),
    );
    expect(touched).toEqual(['2025-03-01', '2025-03-02']);
    expect(await store.forDates(['2025-03-01'])).toEqual([]);
    expect((await store.forDates(['2025-03-02'])).map((f) => [f.itemId, f.orderId])).toEqual([
      ['i1', 'o3'],
    ]);
    // step 12 listed the facts' orders in facts_orders: order o2, replaced by one on another day,
    // leaves its old day (found through the migrated row, not through an index of the facts)
    expect(
      await store.replaceOrders(
        ['o2'],
        factColumnsOf([fact('i4', 'o2', at('2025-03-05T00:00:00Z'), 700)]),
      ),
    ).toEqual(['1969-12-31', '2025-03-05']);
    expect(await store.forDates(['1969-12-31'])).toEqual([]);
    expect(await store.count()).toBe(2);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('facts stored with text ids (before step 13) keep their ids, and numeric ids become INTEGER', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-facts-migrate-'));
  try {
    const path = join(dir, 'state.db');
    const old = new Database(path);
    // every step before the facts' ids step, as a state file written by the release before it
    const step = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE facts_v13'));
    expect(step).toBeGreaterThanOrEqual(12);
    MIGRATIONS.slice(0, step).forEach((sql) => old.exec(sql));
    old.pragma(`user_version = ${step}`);
    const day = (iso: string) => Math.floor(at(iso) / 86_400_000);
    const insert = old.prepare('INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const order = old.prepare('INSERT OR IGNORE INTO facts_orders VALUES (?, ?)');
    // order 12 (a number) with items 7 and 007 (two ids), order 012 (text) with item -0
    const rows: [string, string, string, string][] = [
      ['12', '7', '55', '2025-03-01T10:00:00Z'],
      ['12', '007', '55', '2025-03-01T10:00:00Z'],
      ['012', '-0', '055', '2025-03-02T10:00:00Z'],
    ];
    for (const [o, i, u, iso] of rows) {
      insert.run(day(iso), o, i, u, 'delivered', at(iso), '9', 'Shoes', 100);
      order.run(o, day(iso));
    }
    old.close();

    const db = openSqlite(path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(
      db
        .prepare(
          `SELECT typeof(f.order_id) AS o, typeof(f.item_id) AS i, typeof(o.user_id) AS u,
             typeof(f.product_id) AS p
           FROM facts AS f JOIN facts_orders AS o USING (order_id, order_day)
           ORDER BY f.order_day, f.item_id`,
        )
        .all(),
    ).toEqual([
      { o: 'integer', i: 'integer', u: 'integer', p: 'integer' },
      { o: 'integer', i: 'text', u: 'integer', p: 'integer' },
      { o: 'text', i: 'text', u: 'text', p: 'integer' },
    ]);
    expect(db.prepare('SELECT typeof(order_id) AS o FROM facts_orders ORDER BY 1').all()).toEqual([
      { o: 'integer' },
      { o: 'text' },
    ]);
    const store = new SqliteFactStore(db);
    const all = ['2025-03-01', '2025-03-02'];
    expect(
      (await store.forDates(all)).map((f) => [f.orderId, f.itemId, f.userId, f.productId]),
    ).toEqual([
      ['012', '-0', '055', '9'],
      ['12', '007', '55', '9'],
      ['12', '7', '55', '9'],
    ]);
    expect((await store.kpiTotals(all)).days.map((d) => [d.date, d.orders, d.customers])).toEqual([
      ['2025-03-01', 1, 1],
      ['2025-03-02', 1, 1],
    ]);
    // order 12 replaced by one item on another day: found by its (now numeric) id, its old day
    // touched and both old facts gone; order 012 is another order and stays
    const touched = await store.replaceOrders(
      ['12'],
      factColumnsOf([fact('7', '12', at('2025-03-03T00:00:00Z'), 300)]),
    );
    expect(touched).toEqual(['2025-03-01', '2025-03-03']);
    expect(await store.forDates(['2025-03-01'])).toEqual([]);
    expect(await store.count()).toBe(2);
    // item -0 moves to a new order: found by its text id, its old day touched
    expect(
      await store.replaceOrders(
        ['13'],
        factColumnsOf([fact('-0', '13', at('2025-03-03T00:00:00Z'), 300)]),
      ),
    ).toEqual(['2025-03-02', '2025-03-03']);
    expect(await store.count()).toBe(2);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('facts with their order’s customer, status and time (before step 14) keep them in facts_orders', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-facts-migrate-'));
  try {
    const path = join(dir, 'state.db');
    const old = new Database(path);
    // every step before the order rows' step, as a state file written by the release before it
    const step = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE facts_orders_v14'));
    expect(step).toBeGreaterThanOrEqual(14);
    MIGRATIONS.slice(0, step).forEach((sql) => old.exec(sql));
    old.pragma(`user_version = ${step}`);
    const day = (iso: string) => Math.floor(at(iso) / 86_400_000);
    const insert = old.prepare('INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const order = old.prepare('INSERT OR IGNORE INTO facts_orders VALUES (?, ?)');
    // order 1: two items, returned; order 2: one item; a facts_orders row of order 3 whose
    // facts are gone (its item moved away)
    const t1 = at('2025-03-01T10:00:00Z');
    const t2 = at('2025-03-02T11:00:00Z');
    insert.run(day('2025-03-01'), 1, 10, 7, 'returned', t1, 5, 'Shoes', 1999);
    insert.run(day('2025-03-01'), 1, 11, 7, 'returned', t1, 6, null, 1);
    insert.run(day('2025-03-02'), 2, 12, 'u-8', 'delivered', t2, 5, 'Shoes', 500);
    order.run(1, day('2025-03-01'));
    order.run(2, day('2025-03-02'));
    order.run(3, day('2025-03-02'));
    old.close();

    const db = openSqlite(path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT * FROM facts_orders ORDER BY order_id').all()).toEqual([
      {
        order_id: 1,
        order_day: day('2025-03-01'),
        user_id: 7,
        order_status: 'returned',
        order_created_at: t1,
      },
      {
        order_id: 2,
        order_day: day('2025-03-02'),
        user_id: 'u-8',
        order_status: 'delivered',
        order_created_at: t2,
      },
    ]);
    const store = new SqliteFactStore(db);
    const all = ['2025-03-01', '2025-03-02'];
    expect(
      (await store.forDates(all)).map((f) => [
        f.orderId,
        f.itemId,
        f.userId,
        f.orderStatus,
        f.orderCreatedAt,
        f.category,
        f.salePriceCents,
      ]),
    ).toEqual([
      ['1', '10', '7', 'returned', t1, 'Shoes', 1999],
      ['1', '11', '7', 'returned', t1, null, 1],
      ['2', '12', 'u-8', 'delivered', t2, 'Shoes', 500],
    ]);
    const totals = await store.kpiTotals(all);
    expect(
      totals.days.map((d) => [d.date, d.orders, d.items, d.returnedOrders, d.customers]),
    ).toEqual([
      ['2025-03-01', 1, 2, 1, 1],
      ['2025-03-02', 1, 1, 0, 1],
    ]);
    // order 2 re-delivered on day 1 as returned by customer 7: its old day is touched
    expect(
      await store.replaceOrders(
        ['2'],
        factColumnsOf([{ ...fact('12', '2', t1, 500), userId: '7', orderStatus: 'returned' }]),
      ),
    ).toEqual(['2025-03-01', '2025-03-02']);
    expect(
      (await store.kpiTotals(all)).days.map((d) => [
        d.date,
        d.orders,
        d.returnedOrders,
        d.customers,
      ]),
    ).toEqual([['2025-03-01', 2, 2, 1]]);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
