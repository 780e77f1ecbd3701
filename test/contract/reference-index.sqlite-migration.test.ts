// The steps that moved the reference index to source ids keep what an older state file knew.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { MIGRATIONS, openSqlite } from '../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../src/adapters/sqlite/sqlite-reference-index.js';
import { ordersFile } from './reference-index.contract.js';

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
    const [done] = await index.register(ordersFile('o.csv', [['o1', 2]]), 9);
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
