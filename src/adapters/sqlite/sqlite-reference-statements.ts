// The reference index's SQL, prepared once per handle (per-row work stays in prepared statements).
import type { SqliteDb } from './sqlite-database.js';

interface OrderRow {
  order_id: string;
  first_seen_at: number;
  hash: string | null;
  num_of_items: number | null;
  created_at: number | null;
  file_key: string | null;
  staged_key: string | null;
  is_complete: number;
  /** fingerprint of the last reported completion */
  last_completed: string | null;
}
interface ItemRow {
  item_id: string;
  order_id: string;
  product_id: string;
  hash: string;
  file_key: string;
  staged_key: string;
}
interface ProductRow {
  product_id: string;
  hash: string;
  file_key: string;
  staged_key: string;
}

export const referenceStatements = (db: SqliteDb) => ({
  order: db.prepare<[string], OrderRow>('SELECT * FROM ri_orders WHERE order_id = ?'),
  itemIdsOf: db.prepare<[string], { item_id: string }>(
    'SELECT item_id FROM ri_items WHERE order_id = ?',
  ),
  item: db.prepare<[string], ItemRow>('SELECT * FROM ri_items WHERE item_id = ?'),
  product: db.prepare<[string], ProductRow>('SELECT * FROM ri_products WHERE product_id = ?'),
  waitingFor: db.prepare<[string], { order_id: string }>(
    `SELECT DISTINCT i.order_id FROM ri_items i JOIN ri_orders o ON o.order_id = i.order_id
     WHERE i.product_id = ? AND o.is_complete = 0`,
  ),
  // leaves last_completed alone: only completeIf moves it
  putOrder: db.prepare<Omit<OrderRow, 'last_completed'>>(
    `INSERT INTO ri_orders (order_id, first_seen_at, hash, num_of_items, created_at, file_key,
       staged_key, is_complete)
     VALUES (@order_id, @first_seen_at, @hash, @num_of_items, @created_at, @file_key,
       @staged_key, @is_complete)
     ON CONFLICT (order_id) DO UPDATE SET first_seen_at = excluded.first_seen_at,
       hash = excluded.hash, num_of_items = excluded.num_of_items, created_at = excluded.created_at,
       file_key = excluded.file_key, staged_key = excluded.staged_key, is_complete = excluded.is_complete`,
  ),
  putItem: db.prepare<[string, string, string, string, string, string]>(
    'INSERT OR REPLACE INTO ri_items VALUES (?, ?, ?, ?, ?, ?)',
  ),
  putProduct: db.prepare<[string, string, string, string]>(
    'INSERT OR REPLACE INTO ri_products VALUES (?, ?, ?, ?)',
  ),
  /** moves the order's last completion from `previous` (IS: NULL matches NULL) to `fingerprint` */
  completeIf: db.prepare<{ order_id: string; fingerprint: string; previous: string | null }>(
    `UPDATE ri_orders SET last_completed = @fingerprint
     WHERE order_id = @order_id AND last_completed IS @previous`,
  ),
  putFile: db.prepare<[string, string]>('INSERT OR REPLACE INTO ri_files VALUES (?, ?)'),
  clearFileOrders: db.prepare<[string]>('DELETE FROM ri_file_orders WHERE file_key = ?'),
  putFileOrder: db.prepare<[string, string]>('INSERT OR IGNORE INTO ri_file_orders VALUES (?, ?)'),
  file: db.prepare<[string], { dataset: string }>(
    'SELECT dataset FROM ri_files WHERE file_key = ?',
  ),
  fileHasIncomplete: db.prepare<[string], { one: number }>(
    `SELECT 1 AS one FROM ri_file_orders f JOIN ri_orders o ON o.order_id = f.order_id
     WHERE f.file_key = ? AND o.is_complete = 0 LIMIT 1`,
  ),
  pending: db.prepare<[], OrderRow & { landed: number }>(
    `SELECT o.*, (SELECT COUNT(*) FROM ri_items i WHERE i.order_id = o.order_id) AS landed
     FROM ri_orders o WHERE o.is_complete = 0 ORDER BY o.order_id`,
  ),
  missingProducts: db.prepare<[], { order_id: string; product_id: string }>(
    `SELECT DISTINCT i.order_id, i.product_id FROM ri_items i
     JOIN ri_orders o ON o.order_id = i.order_id AND o.is_complete = 0
     WHERE NOT EXISTS (SELECT 1 FROM ri_products p WHERE p.product_id = i.product_id)
     ORDER BY i.order_id, i.product_id`,
  ),
  landing: db.prepare<[string], { completions: string }>(
    'SELECT completions FROM ri_landings WHERE staged_key = ?',
  ),
  putLanding: db.prepare<[string, string]>('INSERT INTO ri_landings VALUES (?, ?)'),
  completedCount: db.prepare<[], { n: number }>(
    'SELECT COUNT(*) AS n FROM ri_orders WHERE last_completed IS NOT NULL',
  ),
});

export type Statements = ReturnType<typeof referenceStatements>;
