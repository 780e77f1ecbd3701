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
