// The reference index's SQL, prepared once per handle. A landing's keys go into per-connection
// TEMP tables row by row (prepared inserts); everything else is one statement over the set.
import type { SqliteDb } from './sqlite-database.js';

interface OrderRow {
  order_id: string;
  first_seen_at: number;
  hash: string | null;
  num_of_items: number | null;
}

/** created once per connection; emptied at the start of every landing */
const TEMP_TABLES = `
  CREATE TEMP TABLE IF NOT EXISTS t_touched (order_id TEXT PRIMARY KEY) WITHOUT ROWID;
  CREATE TEMP TABLE IF NOT EXISTS t_items (
    item_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, product_id TEXT NOT NULL, hash TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TEMP TABLE IF NOT EXISTS t_products (product_id TEXT PRIMARY KEY) WITHOUT ROWID;`;

/** one completion row: the order, one of its items (null for an order of 0 items), its product */
export type CompletionRow = [
  orderId: string,
  orderHash: string,
  createdAt: number | null,
  orderSource: number,
  lastCompleted: string | null,
  itemId: string | null,
  itemHash: string | null,
  itemSource: number | null,
  productId: string | null,
  productHash: string | null,
  productSource: number | null,
];

export const referenceStatements = (db: SqliteDb) => {
  db.exec(TEMP_TABLES);
  return {
    clear: [
      db.prepare('DELETE FROM t_touched'),
      db.prepare('DELETE FROM t_items'),
      db.prepare('DELETE FROM t_products'),
    ],
    source: db.prepare<[string, string], { source: number }>(
      'SELECT source FROM ri_sources WHERE staged_key = ? AND file_key = ?',
    ),
    putSource: db.prepare<[string, string]>(
      'INSERT INTO ri_sources (file_key, staged_key) VALUES (?, ?)',
    ),
    sources: db.prepare<[], { source: number; file_key: string; staged_key: string }>(
      'SELECT * FROM ri_sources',
    ),
    touch: db.prepare<[string]>('INSERT OR IGNORE INTO t_touched VALUES (?)'),
    // the last row of an id wins, as in the decider
    stageItem: db.prepare<[string, string, string, string]>(
      'INSERT OR REPLACE INTO t_items VALUES (?, ?, ?, ?)',
    ),
    stageProduct: db.prepare<[string]>('INSERT OR IGNORE INTO t_products VALUES (?)'),
    putOrder: db.prepare<[string, number, string, number | null, number | null, number]>(
      `INSERT INTO ri_orders (order_id, first_seen_at, hash, num_of_items, created_at, source)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (order_id) DO UPDATE SET hash = excluded.hash,
         num_of_items = excluded.num_of_items, created_at = excluded.created_at,
         source = excluded.source`,
    ),
    putProduct: db.prepare<[string, string, number]>(
      'INSERT OR REPLACE INTO ri_products VALUES (?, ?, ?)',
    ),
    /** an item moved to another order changes its old order too */
    touchOldOrders: db.prepare(
      `INSERT OR IGNORE INTO t_touched
       SELECT i.order_id FROM t_items t JOIN ri_items i ON i.item_id = t.item_id`,
    ),
    newOrders: db.prepare<[number]>(
      `INSERT OR IGNORE INTO ri_orders (order_id, first_seen_at) SELECT order_id, ? FROM t_touched`,
    ),
    putItems: db.prepare<[number]>(
      `INSERT OR REPLACE INTO ri_items (order_id, item_id, product_id, hash, source)
       SELECT order_id, item_id, product_id, hash, ? FROM t_items`,
    ),
    /** complete orders are never waiting: their products were all there */
    touchWaiting: db.prepare(
      `INSERT OR IGNORE INTO t_touched
       SELECT DISTINCT i.order_id FROM t_products t
       JOIN ri_items i ON i.product_id = t.product_id
       JOIN ri_orders o ON o.order_id = i.order_id AND o.is_complete = 0`,
    ),
    /** the order row, exactly num_of_items items, every product: one grouped pass */
    markComplete: db.prepare(
      `UPDATE ri_orders SET is_complete = (
         hash IS NOT NULL
         AND num_of_items IS (SELECT COUNT(*) FROM ri_items i WHERE i.order_id = ri_orders.order_id)
         AND NOT EXISTS (SELECT 1 FROM ri_items i WHERE i.order_id = ri_orders.order_id
           AND NOT EXISTS (SELECT 1 FROM ri_products p WHERE p.product_id = i.product_id)))
       WHERE order_id IN (SELECT order_id FROM t_touched)`,
    ),
    completions: db
      .prepare<[], CompletionRow>(
        `SELECT o.order_id, o.hash, o.created_at, o.source, o.last_completed,
           i.item_id, i.hash, i.source, i.product_id, p.hash, p.source
         FROM t_touched t JOIN ri_orders o ON o.order_id = t.order_id AND o.is_complete = 1
         LEFT JOIN ri_items i ON i.order_id = o.order_id
         LEFT JOIN ri_products p ON p.product_id = i.product_id
         ORDER BY o.order_id, i.item_id`,
      )
      .raw(),
    /** moves the order's last completion from `previous` (IS: NULL matches NULL) */
    completeIf: db.prepare<[string, string, string | null]>(
      'UPDATE ri_orders SET last_completed = ? WHERE order_id = ? AND last_completed IS ?',
    ),
    putFile: db.prepare<[string, string]>('INSERT OR REPLACE INTO ri_files VALUES (?, ?)'),
    clearFileOrders: db.prepare<[string]>('DELETE FROM ri_file_orders WHERE file_key = ?'),
    putFileOrder: db.prepare<[string, string]>(
      'INSERT OR IGNORE INTO ri_file_orders VALUES (?, ?)',
    ),
    file: db.prepare<[string], { dataset: string }>(
      'SELECT dataset FROM ri_files WHERE file_key = ?',
    ),
    fileHasIncomplete: db.prepare<[string], { one: number }>(
      `SELECT 1 AS one FROM ri_file_orders f JOIN ri_orders o ON o.order_id = f.order_id
       WHERE f.file_key = ? AND o.is_complete = 0 LIMIT 1`,
    ),
    pending: db.prepare<[], OrderRow & { landed: number }>(
      `SELECT o.order_id, o.first_seen_at, o.hash, o.num_of_items,
         (SELECT COUNT(*) FROM ri_items i WHERE i.order_id = o.order_id) AS landed
       FROM ri_orders o WHERE o.is_complete = 0 ORDER BY o.order_id`,
    ),
    missingProducts: db.prepare<[], { order_id: string; product_id: string }>(
      // CROSS JOIN keeps the incomplete orders outermost: the items of complete orders (nearly
      // all of them) are never read
      `SELECT DISTINCT i.order_id, i.product_id FROM ri_orders o CROSS JOIN ri_items i
       WHERE o.is_complete = 0 AND i.order_id = o.order_id
         AND NOT EXISTS (SELECT 1 FROM ri_products p WHERE p.product_id = i.product_id)
       ORDER BY i.order_id, i.product_id`,
    ),
    landing: db.prepare<[string], { completions: string | Buffer }>(
      'SELECT completions FROM ri_landings WHERE staged_key = ?',
    ),
    putLanding: db.prepare<[string, Buffer]>('INSERT INTO ri_landings VALUES (?, ?)'),
    completedCount: db.prepare<[], { n: number }>(
      'SELECT COUNT(*) AS n FROM ri_orders WHERE last_completed IS NOT NULL',
    ),
  };
};

export type Statements = ReturnType<typeof referenceStatements>;
