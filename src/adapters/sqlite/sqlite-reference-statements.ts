// The reference index's SQL, prepared once per handle. A landing's keys go into per-connection
// TEMP tables row by row (prepared inserts); everything else is one statement over the set.
import type { SqliteDb } from './sqlite-database.js';
import { hashText, storedHash } from './sqlite-hash-column.js';
import { integerKey, type IdKey } from './sqlite-id-key.js';

interface OrderRow {
  order_id: IdKey;
  first_seen_at: number;
  hash: string | null;
  num_of_items: number | null;
}

/**
 * created once per connection; emptied at the start of every landing. A landing's rows go into
 * plain rowid tables (an append, in file order: the last row of an id wins where it matters),
 * never into a keyed B-tree row by row; the touched orders are derived from them in one pass.
 * Ids are keys as the index tables keep them (idKey): columns without type affinity.
 */
const TEMP_TABLES = `
  CREATE TEMP TABLE IF NOT EXISTS t_touched (order_id PRIMARY KEY) WITHOUT ROWID;
  CREATE TEMP TABLE IF NOT EXISTS t_order_rows (
    order_id NOT NULL, hash TEXT NOT NULL, num_of_items REAL, created_at REAL);
  CREATE TEMP TABLE IF NOT EXISTS t_item_rows (
    item_id NOT NULL, order_id NOT NULL, product_id NOT NULL, hash TEXT NOT NULL);
  CREATE TEMP TABLE IF NOT EXISTS t_products (product_id PRIMARY KEY) WITHOUT ROWID;
  CREATE TEMP TABLE IF NOT EXISTS t_batch_orders (order_id PRIMARY KEY) WITHOUT ROWID;
  CREATE TEMP TABLE IF NOT EXISTS t_sql (order_id PRIMARY KEY) WITHOUT ROWID;`;

/** what separates the fields of a completion row's items text (U+001F, the unit separator) */
export const ITEMS_SEPARATOR = '\u001f';

/**
 * one touched order: its row, whether it was complete, then (only when it has its order row and
 * num_of_items items) its items, sorted by item id, as one text: one string per order, not one
 * result row per item, and no JSON to build and parse (docs/performance.md, "Round 6:
 * register-tail2")
 */
export type CompletionRow = [
  /** as given (idText: an integer key spelled in SQL, which costs less than in JS) */
  orderId: string,
  orderHash: string,
  createdAt: number | null,
  orderSource: number,
  lastCompleted: string | null,
  wasComplete: number,
  /**
   * null when the order lacks its row or items; else, joined by ITEMS_SEPARATOR: the count n of
   * items, then (read only when n > 0) the least and greatest item source, 1 when an item id sorts
   * differently in JS, 0 when a hash is not 8 bytes, the items' hashes as one string of hex()
   * digits, and the n product ids (n + 6 fields, unless an id holds the separator); the flag
   * is also 1 when SQLite's order of the item ids may differ from JS's (order).
   */
  items: string | null,
];

/**
 * SQLite sorts text by UTF-8 bytes, JS by UTF-16 units; they disagree only on ids holding a
 * character past U+FFFF, which this finds (GLOB ranges are code points; an ASCII id, where the
 * byte and character counts agree, is not searched); such orders are read again with their item
 * ids and sorted in JS
 */
const astral = (column: string): string =>
  `CASE WHEN typeof(${column}) = 'integer' OR octet_length(${column}) = length(${column}) THEN 0
     ELSE ${column} GLOB '*[\u{10000}-\u{10FFFF}]*' END`;

/**
 * SQL, an aggregate over an order's item ids (idKey: INTEGERs and TEXTs): 1 when SQLite may
 * sort them otherwise than JS sorts their strings. SQLite puts integers before text and orders
 * them by value; JS compares the strings, so '10' < '9'. Integers of as many digits sort alike
 * both ways, and text as `astral` says; a mix of integers and text, or integers of different
 * lengths, is flagged. min() and max() per order (its items come in key order) tell both.
 */
const order = (column: string): string =>
  `(max(${astral(column)}) OR typeof(min(${column})) <> typeof(max(${column}))
     OR (typeof(min(${column})) = 'integer' AND length(min(${column})) <> length(max(${column}))))`;

/**
 * The completion query (see `completions` below). `integerItems`: every item id in ri_items is
 * an INTEGER (itemIdText finds none of TEXT), so no id is astral and none mixes with text, and
 * order() reduces to its length test: the per-item astral CASE and typeof() and their aggregate
 * go (1M items: ~0.3 s of the query's ~2 s of CPU, docs/performance.md, "Round 12: tail7").
 */
const completionsSql = (integerItems: boolean, touched = 't_touched'): string =>
  `SELECT CAST(o.order_id AS TEXT), o.hash, o.created_at, o.source, o.last_completed, o.is_complete,
     CASE WHEN o.hash IS NOT NULL AND o.num_of_items IS COUNT(i.item_id)
       THEN concat_ws(char(31), COUNT(i.item_id), min(i.source), max(i.source),
         ${integerItems ? '(length(min(i.item_id)) <> length(max(i.item_id)))' : order('i.item_id')},
         min(typeof(i.hash) = 'blob'),
         group_concat(hex(i.hash), ''), group_concat(i.product_id, char(31))) END
   FROM ${touched} t CROSS JOIN ri_orders o LEFT JOIN ri_items i ON i.order_id = o.order_id
   WHERE o.order_id = t.order_id
   GROUP BY t.order_id
   HAVING o.is_complete = 1
     OR (o.hash IS NOT NULL AND (o.num_of_items = 0 OR COUNT(i.item_id) > 0))`;

/** a touched order's row (orderRows): its id as text, its key, its fields, in t_sql (1) or not */
export type OwnOrderRow = [
  orderId: string,
  key: IdKey,
  hash: string | null,
  createdAt: number | null,
  source: number,
  lastCompleted: string | null,
  /** null when the order has no row yet */
  wasComplete: number | null,
  numOfItems: number | null,
  inSql: number,
];

const orderRowsSql = (sql: boolean): string =>
  `SELECT CAST(t.order_id AS TEXT), t.order_id, o.hash, o.created_at, o.source,
     o.last_completed, o.is_complete, o.num_of_items,
     ${sql ? 'EXISTS (SELECT 1 FROM t_sql q WHERE q.order_id = t.order_id)' : '0'}
   FROM t_touched t LEFT JOIN ri_orders o ON o.order_id = t.order_id`;

/** how many orders one setCompletedChunk run records */
export const COMPLETED_CHUNK = 512;

export const referenceStatements = (db: SqliteDb) => {
  db.exec(TEMP_TABLES);
  return {
    clear: [
      db.prepare('DELETE FROM t_touched'),
      db.prepare('DELETE FROM t_order_rows'),
      db.prepare('DELETE FROM t_item_rows'),
      db.prepare('DELETE FROM t_products'),
      db.prepare('DELETE FROM t_batch_orders'),
      db.prepare('DELETE FROM t_sql'),
    ],
    source: db.prepare<[string, string], { source: number }>(
      'SELECT source FROM ri_sources WHERE staged_key = ? AND file_key = ?',
    ),
    putSource: db.prepare<[string, string]>(
      'INSERT INTO ri_sources (file_key, staged_key) VALUES (?, ?)',
    ),
    sourceById: db.prepare<[number], { file_key: string; staged_key: string }>(
      'SELECT file_key, staged_key FROM ri_sources WHERE source = ?',
    ),
    stageProduct: db.prepare<[IdKey]>(
      `INSERT OR IGNORE INTO t_products SELECT ${integerKey('column1')} FROM (VALUES (?))`,
    ),
    // rowid order is file order: the last row of an id wins, as in the decider
    putOrders: db.prepare<[number, number]>(
      `INSERT INTO ri_orders (order_id, first_seen_at, hash, num_of_items, created_at, source)
       SELECT order_id, ?, hash, num_of_items, created_at, ? FROM t_order_rows WHERE true
       ORDER BY rowid
       ON CONFLICT (order_id) DO UPDATE SET hash = excluded.hash,
         num_of_items = excluded.num_of_items, created_at = excluded.created_at,
         source = excluded.source`,
    ),
    touchOrders: db.prepare(
      'INSERT OR IGNORE INTO t_touched SELECT order_id FROM t_order_rows ORDER BY order_id',
    ),
    // every order named, also by a row a later one of the same item id overrides
    touchItemOrders: db.prepare(
      'INSERT OR IGNORE INTO t_touched SELECT order_id FROM t_item_rows ORDER BY order_id',
    ),
    putProduct: db.prepare<[IdKey, string, number]>(
      `INSERT OR REPLACE INTO ri_products
       SELECT ${integerKey('column1')}, column2, column3 FROM (VALUES (?, ?, ?))`,
    ),
    /** an item moved to another order changes its old order too */
    touchOldOrders: db.prepare(
      `INSERT OR IGNORE INTO t_touched
       SELECT i.order_id FROM t_item_rows t JOIN ri_items i ON i.item_id = t.item_id`,
    ),
    newOrders: db.prepare<[number]>(
      `INSERT OR IGNORE INTO ri_orders (order_id, first_seen_at) SELECT order_id, ? FROM t_touched`,
    ),
    putItems: db.prepare<[number]>(
      `INSERT OR REPLACE INTO ri_items (order_id, item_id, product_id, hash, source)
       SELECT order_id, item_id, product_id, ${storedHash('hash')}, ? FROM t_item_rows
       ORDER BY rowid`,
    ),
    /**
     * complete orders are never waiting: their products were all there. Found from the
     * incomplete orders' side (their partial index, then their items' range), so no index of
     * items by product is kept
     */
    touchWaiting: db.prepare(
      `INSERT OR IGNORE INTO t_touched
       SELECT DISTINCT o.order_id FROM ri_orders o CROSS JOIN ri_items i
       WHERE o.is_complete = 0 AND i.order_id = o.order_id
         AND i.product_id IN (SELECT product_id FROM t_products)`,
    ),
    /**
     * Every touched order, once, with its items when it has its order row and exactly
     * num_of_items items (whether every product landed is told in JS, which looks each product
     * up once per landing anyway). One range read of its items gives both: a separate UPDATE of
     * is_complete over the touched orders read every range a second time and wrote every row
     * before the fingerprints wrote it again (1M items: that UPDATE ~1.0 s of CPU; the query
     * with a per-item EXISTS on ri_products ~0.5 s more than without; docs/performance.md,
     * Round 3). One pass in the touched orders' order (CROSS JOIN: t_touched outermost, then
     * each order's row, then its items' primary key (order_id, item_id) range, LEFT JOIN: the
     * items come in id order and the planner sorts nothing), grouped by order: a correlated
     * subquery per order (and an EXISTS per order for the filter) stepped ~8% more, and its
     * plan scanned all of ri_orders for any landing (docs/performance.md, "Round 6:
     * register-tail2"). Their hashes are one string of SQLite's hex() per order, read straight
     * into words (no 16-character string per item). An order that was not complete and cannot
     * be (no order row, or no item while it expects some) is left out: the orders landing of 1M
     * items touches 401k such orders (register 1.2 -> 0.7 s).
     */
    completions: db.prepare<[], CompletionRow>(completionsSql(false)).raw(),
    /** `completions` where every item id is an INTEGER (itemIdText finds none) */
    completionsIntegerItems: db.prepare<[], CompletionRow>(completionsSql(true)).raw(),
    /** `completions` and `completionsIntegerItems` of the orders in t_sql alone */
    sqlCompletions: db.prepare<[], CompletionRow>(completionsSql(false, 't_sql')).raw(),
    sqlCompletionsIntegerItems: db.prepare<[], CompletionRow>(completionsSql(true, 't_sql')).raw(),
    /**
     * Every touched order's row, in the completion query's order, and whether it is in t_sql
     * (its completion is the query's); the others' items are all the landing's own rows
     * (LandingItems). No items read: the rows of ri_orders alone, NULL where an order has none
     * yet (its row is made after, by newOrders: that insert probed every touched order, ~0.25
     * s of CPU at 1M items, for none when the orders landed first).
     */
    orderRows: db.prepare<[], OwnOrderRow>(orderRowsSql(true)).raw(),
    /** orderRows when t_sql is empty (inSql 0: no probe of it per order) */
    orderRowsAlone: db.prepare<[], OwnOrderRow>(orderRowsSql(false)).raw(),
    anySql: db.prepare<[], { one: number }>('SELECT 1 AS one FROM t_sql LIMIT 1'),
    /** whether ri_items holds any row (before a landing: else no order has earlier items) */
    anyItem: db.prepare<[], { one: number }>('SELECT 1 AS one FROM ri_items LIMIT 1'),
    /**
     * touchOldOrders for a landing that reads its own rows: the orders of the batch's item ids
     * already in ri_items (an earlier landing's, or an earlier batch's) go to t_sql, whose
     * orders are all touched (touchSqlOrders) and completed by the query
     */
    sqlOldOrders: db.prepare(
      `INSERT OR IGNORE INTO t_sql
       SELECT i.order_id FROM t_item_rows t JOIN ri_items i ON i.item_id = t.item_id`,
    ),
    /** the batch's orders with an item of another source (an earlier landing) in ri_items */
    sqlForeignOrders: db.prepare<[number]>(
      `INSERT OR IGNORE INTO t_sql
       SELECT b.order_id FROM t_batch_orders b
       WHERE EXISTS (SELECT 1 FROM ri_items i WHERE i.order_id = b.order_id AND i.source <> ?)`,
    ),
    putSqlOrder: db.prepare<[IdKey]>(
      `INSERT OR IGNORE INTO t_sql SELECT ${integerKey('column1')} FROM (VALUES (?))`,
    ),
    touchSqlOrders: db.prepare('INSERT OR IGNORE INTO t_touched SELECT order_id FROM t_sql'),
    /**
     * an item id of TEXT, if any: SQLite orders every INTEGER before every TEXT, so one seek of
     * the item ids' index tells (its plan: a range search of ri_items_id)
     */
    itemIdText: db.prepare<[], { one: number }>(
      `SELECT 1 AS one FROM ri_items WHERE item_id >= '' LIMIT 1`,
    ),
    /**
     * an order's items with their ids, for the rare orders the items text does not tell plainly
     * (ids JS sorts differently, a text hash, items of several sources, a product id holding the
     * separator)
     */
    itemsWithIds: db
      .prepare<[IdKey], [IdKey, string, number, IdKey]>(
        `SELECT item_id, ${hashText('hash')}, source, product_id FROM ri_items WHERE order_id = ?`,
      )
      .raw(),
    product: db.prepare<[IdKey], { hash: string; source: number }>(
      'SELECT hash, source FROM ri_products WHERE product_id = ?',
    ),
    /** a complete order's last reported completion */
    setCompleted: db.prepare<[string, IdKey]>(
      'UPDATE ri_orders SET is_complete = 1, last_completed = ? WHERE order_id = ?',
    ),
    /**
     * COMPLETED_CHUNK orders' setCompleted in one statement, as (order_id, fingerprint) pairs:
     * one run per 512 orders instead of one per order. 401k orders (1M items), the orders'
     * UPDATEs 0.68-0.70 -> 0.58-0.62 s of CPU (docs/performance.md, "Round 9: wait-sql"). An
     * order id is given once (the completion query groups by order), so no row matches twice.
     * Its plan: the VALUES outermost, each order found by its key (also on an empty table).
     */
    setCompletedChunk: db.prepare<unknown[]>(
      `UPDATE ri_orders SET is_complete = 1, last_completed = v.column2
       FROM (VALUES ${Array.from({ length: COMPLETED_CHUNK }, () => '(?, ?)').join(', ')}) AS v
       WHERE ri_orders.order_id = v.column1`,
    ),
    /** an order that became complete (with content reported before) or incomplete */
    setComplete: db.prepare<[number, IdKey]>(
      'UPDATE ri_orders SET is_complete = ? WHERE order_id = ?',
    ),
    putFile: db.prepare<[string, string]>('INSERT OR REPLACE INTO ri_files VALUES (?, ?)'),
    /** the orders a file names are those of its latest landing */
    clearFileOrders: db.prepare<[string]>(
      `DELETE FROM ri_file_orders
       WHERE source IN (SELECT source FROM ri_sources WHERE file_key = ?)`,
    ),
    putFileOrders: db.prepare<[number]>(
      'INSERT OR IGNORE INTO ri_file_orders SELECT ?, order_id FROM t_touched',
    ),
    /**
     * the distinct orders an items batch names, once: its ~2.5 rows an order each probed
     * t_touched and ri_file_orders (touchItemOrders, then the file orders) ~0.75 s of CPU for 1M
     * items in 65,536-row batches; the orders found once, then written to both, ~0.5 s
     */
    batchOrders: db.prepare('INSERT INTO t_batch_orders SELECT DISTINCT order_id FROM t_item_rows'),
    touchBatchOrders: db.prepare(
      'INSERT OR IGNORE INTO t_touched SELECT order_id FROM t_batch_orders',
    ),
    /** the orders an items batch names, as a file's orders */
    putFileBatchOrders: db.prepare<[number]>(
      'INSERT OR IGNORE INTO ri_file_orders SELECT ?, order_id FROM t_batch_orders',
    ),
    /** the orders an orders batch names, as a file's orders (putFileOrders of one batch) */
    putFileRowOrders: db.prepare<[number]>(
      'INSERT OR IGNORE INTO ri_file_orders SELECT ?, order_id FROM t_order_rows',
    ),
    clearOrderRows: db.prepare('DELETE FROM t_order_rows'),
    clearItemRows: db.prepare('DELETE FROM t_item_rows'),
    clearBatchOrders: db.prepare('DELETE FROM t_batch_orders'),
    file: db.prepare<[string], { dataset: string }>(
      'SELECT dataset FROM ri_files WHERE file_key = ?',
    ),
    /**
     * led by the incomplete orders (their partial index, few once files complete), each probed
     * in ri_file_orders by its key: reading every order the file names instead took 1.0-1.6 s
     * for a 1M-item file at Archive (docs/performance.md, "Round 4: validate-archive")
     */
    fileHasIncomplete: db.prepare<[string], { one: number }>(
      `SELECT 1 AS one FROM ri_sources s CROSS JOIN ri_orders o INDEXED BY ri_orders_incomplete
         CROSS JOIN ri_file_orders f
       WHERE s.file_key = ? AND o.is_complete = 0 AND f.source = s.source
         AND f.order_id = o.order_id
       LIMIT 1`,
    ),
    pending: db.prepare<[], OrderRow & { landed: number }>(
      `SELECT o.order_id, o.first_seen_at, o.hash, o.num_of_items,
         (SELECT COUNT(*) FROM ri_items i WHERE i.order_id = o.order_id) AS landed
       FROM ri_orders o WHERE o.is_complete = 0 ORDER BY o.order_id`,
    ),
    missingProducts: db.prepare<[], { order_id: IdKey; product_id: IdKey }>(
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
    landingParts: db
      .prepare<[string], Buffer>(
        'SELECT bytes FROM ri_landing_parts WHERE staged_key = ? ORDER BY part',
      )
      .pluck(),
    putLandingPart: db.prepare<[string, number, Buffer]>(
      'INSERT INTO ri_landing_parts VALUES (?, ?, ?)',
    ),
    completedCount: db.prepare<[], { n: number }>(
      'SELECT COUNT(*) AS n FROM ri_orders WHERE last_completed IS NOT NULL',
    ),
  };
};

export type Statements = ReturnType<typeof referenceStatements>;
