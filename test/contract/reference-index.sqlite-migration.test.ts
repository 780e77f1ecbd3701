// The steps that moved the reference index to source ids keep what an older state file knew.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { MIGRATIONS, openSqlite } from '../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../src/adapters/sqlite/sqlite-reference-index.js';
import { itemsFile, ordersFile, productsFile } from './reference-index.contract.js';
import { completionsOf } from '../../src/domain/completion-columns.js';

it('an index written before source ids completes its orders with their old locations', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-ri-migrate-'));
  try {
    const path = join(dir, 'state.db');
    const old = new Database(path);
    MIGRATIONS.slice(0, 4).forEach((sql) => old.exec(sql));
    old.pragma('user_version = 4');
    old.exec(`
      INSERT INTO ri_orders (order_id, first_seen_at, is_complete) VALUES ('o1', 5, 0);
      INSERT INTO ri_items VALUES ('i1', 'o1', 'p1', 'h-i1', 'i.csv', 'staging/i.parquet');
      INSERT INTO ri_items VALUES ('i2', 'o1', 'p2', 'h-i2', 'i2.csv', 'staging/i2.parquet');
      INSERT INTO ri_products VALUES ('p1', 'h-p1', 'p.csv', 'staging/p.parquet');
      INSERT INTO ri_products VALUES ('p2', 'h-p2', 'p.csv', 'staging/p.parquet');
      INSERT INTO ri_files VALUES ('i.csv', 'order_items');
      INSERT INTO ri_file_orders VALUES ('i.csv', 'o1');`);
    old.close();
    const db = openSqlite(path);
    const index = new SqliteReferenceIndex(db);
    expect((await index.pending())[0]).toMatchObject({ orderId: 'o1', firstSeenAt: 5 });
    // the file's orders survive the move to source ids: o1 still holds i.csv back
    expect(await index.filesWhollyCompleted(['i.csv'])).toEqual([]);
    const [done] = completionsOf(await index.register(ordersFile('o.csv', [['o1', 2]]), 9));
    expect(done?.items).toEqual([
      { key: 'i.csv', stagedKey: 'staging/i.parquet', hash: 'h-i1' },
      { key: 'i2.csv', stagedKey: 'staging/i2.parquet', hash: 'h-i2' },
    ]);
    expect(done?.products).toEqual([
      { key: 'p.csv', stagedKey: 'staging/p.parquet', hash: 'h-p1' },
      { key: 'p.csv', stagedKey: 'staging/p.parquet', hash: 'h-p2' },
    ]);
    expect(await index.filesWhollyCompleted(['i.csv'])).toEqual(['i.csv']);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('item hashes of 16 hex digits are kept as 8 bytes (step 9), old and new, and read back as text', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-ri-hash-'));
  try {
    const path = join(dir, 'state.db');
    const old = new Database(path);
    MIGRATIONS.slice(0, 9).forEach((sql) => old.exec(sql));
    old.pragma('user_version = 9');
    old.exec(`
      INSERT INTO ri_sources VALUES (1, 'i.csv', 'staging/i.parquet'), (2, 'p.csv', 'staging/p.parquet');
      INSERT INTO ri_orders (order_id, first_seen_at, is_complete) VALUES ('o1', 5, 0);
      INSERT INTO ri_items VALUES ('o1', 'i1', 'p1', '00ff10a0b1c2d3e4', 1);
      INSERT INTO ri_items VALUES ('o1', 'i2', 'p1', 'h-i2', 1);
      INSERT INTO ri_products VALUES ('p1', 'h-p1', 2);`);
    old.close();
    const db = openSqlite(path);
    const index = new SqliteReferenceIndex(db);
    const stored = () =>
      db
        .prepare(
          'SELECT item_id, typeof(hash) AS t, length(hash) AS n FROM ri_items ORDER BY item_id',
        )
        .all();
    expect(stored()).toEqual([
      { item_id: 'i1', t: 'blob', n: 8 },
      { item_id: 'i2', t: 'text', n: 4 },
    ]);
    const [done] = completionsOf(await index.register(ordersFile('o.csv', [['o1', 2]]), 9));
    expect(done?.items.map((l) => l.hash)).toEqual(['00ff10a0b1c2d3e4', 'h-i2']);
    // a new landing: lowercase hex packed, anything else (upper case, other lengths) kept as text
    await index.register(productsFile('p2.csv', ['p2']), 10);
    const hashes = ['0123456789abcdef', '0123456789ABCDEF', '0123456789abcde'];
    await index.register(
      itemsFile('j.csv', [
        ['j1', 'o2', 'p2', hashes[0]],
        ['j2', 'o2', 'p2', hashes[1]],
        ['j3', 'o2', 'p2', hashes[2]],
      ]),
      11,
    );
    expect(stored().slice(2)).toEqual([
      { item_id: 'j1', t: 'blob', n: 8 },
      { item_id: 'j2', t: 'text', n: 16 },
      { item_id: 'j3', t: 'text', n: 15 },
    ]);
    const [o2] = completionsOf(await index.register(ordersFile('o2.csv', [['o2', 3]]), 12));
    expect(o2?.items.map((l) => l.hash)).toEqual(hashes);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('ids become integer keys where canonical (the keyed step), and the index goes on from there', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-ri-keys-'));
  try {
    const path = join(dir, 'state.db');
    const step = MIGRATIONS.findIndex((sql) => sql.includes('ri_orders_keyed'));
    const old = new Database(path);
    MIGRATIONS.slice(0, step).forEach((sql) => old.exec(sql));
    old.pragma(`user_version = ${step}`);
    old.exec(`
      INSERT INTO ri_sources VALUES (1, 'i.csv', 'staging/i.parquet'), (2, 'p.csv', 'staging/p.parquet');
      INSERT INTO ri_orders (order_id, first_seen_at, hash, num_of_items, source, is_complete)
        VALUES ('12', 5, 'h-12', 3, 1, 0), ('012', 5, 'h-012', 1, 1, 0),
          ('9007199254740993', 5, 'h-big', 1, 1, 0);
      INSERT INTO ri_items VALUES ('12', '9', 'p1', 'h-9', 1), ('12', '10', '7', 'h-10', 1),
        ('012', '010', '07', 'h-010', 1), ('9007199254740993', 'x', '7', 'h-x', 1);
      INSERT INTO ri_products VALUES ('p1', 'h-p1', 2), ('7', 'h-7', 2);
      INSERT INTO ri_files VALUES ('i.csv', 'order_items');
      INSERT INTO ri_file_orders VALUES (1, '12'), (1, '012'), (1, '9007199254740993');`);
    old.close();
    const db = openSqlite(path);
    const types = (table: string, column: string) =>
      db
        .prepare<[], { id: string | number; t: string }>(
          `SELECT ${column} AS id, typeof(${column}) AS t FROM ${table} ORDER BY ${column}`,
        )
        .all();
    expect(types('ri_orders', 'order_id')).toEqual([
      { id: 12, t: 'integer' },
      { id: '012', t: 'text' },
      { id: '9007199254740993', t: 'text' },
    ]);
    expect(types('ri_items', 'item_id')).toEqual([
      { id: 9, t: 'integer' },
      { id: 10, t: 'integer' },
      { id: '010', t: 'text' },
      { id: 'x', t: 'text' },
    ]);
    expect(types('ri_products', 'product_id')).toEqual([
      { id: 7, t: 'integer' },
      { id: 'p1', t: 'text' },
    ]);
    expect(types('ri_file_orders', 'order_id').map((r) => r.t)).toEqual([
      'integer',
      'text',
      'text',
    ]);
    const index = new SqliteReferenceIndex(db);
    // sorted as JS sorts the ids; '07' never landed (7 did: an integer, another id)
    expect(
      (await index.pending()).map((p) => [p.orderId, p.landedItems, p.missingProducts]),
    ).toEqual([
      ['012', 1, ['07']],
      ['12', 2, []],
      ['9007199254740993', 1, []],
    ]);
    // the third item of 12 lands (an existing item id given as text): complete, items in JS's
    // id order ('10' < '11' < '9')
    const [done] = completionsOf(
      await index.register(itemsFile('i2.csv', [['11', '12', 'p1', 'h-11']]), 9),
    );
    expect(done?.orderId).toBe('12');
    expect(done?.items.map((l) => l.hash)).toEqual(['h-10', 'h-11', 'h-9']);
    expect(await index.filesWhollyCompleted(['i.csv'])).toEqual([]);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
