// One SQLite database file holds the embedded state (event log, grouping index, facts, KPIs).
// Every adapter shares the handle opened here; the schema lives here and nowhere else.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { idKeySql } from './sqlite-id-key.js';

export type SqliteDb = Database.Database;

// Append-only: a released schema step is never edited, a change is a new step.
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     position INTEGER PRIMARY KEY AUTOINCREMENT,
     stream_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     type TEXT NOT NULL,
     data TEXT NOT NULL,
     occurred_at TEXT NOT NULL,
     UNIQUE (stream_id, version)
   );
   CREATE TABLE ri_orders (
     order_id TEXT PRIMARY KEY,
     first_seen_at REAL NOT NULL,
     hash TEXT, num_of_items REAL, created_at REAL, file_key TEXT, staged_key TEXT,
     is_complete INTEGER NOT NULL DEFAULT 0
   ) WITHOUT ROWID;
   CREATE INDEX ri_orders_incomplete ON ri_orders (order_id) WHERE is_complete = 0;
   CREATE TABLE ri_items (
     item_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, product_id TEXT NOT NULL,
     hash TEXT NOT NULL, file_key TEXT NOT NULL, staged_key TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX ri_items_order ON ri_items (order_id);
   CREATE INDEX ri_items_product ON ri_items (product_id);
   CREATE TABLE ri_products (
     product_id TEXT PRIMARY KEY, hash TEXT NOT NULL, file_key TEXT NOT NULL, staged_key TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE ri_completions (
     order_id TEXT NOT NULL, fingerprint TEXT NOT NULL, PRIMARY KEY (order_id, fingerprint)
   ) WITHOUT ROWID;
   CREATE TABLE ri_files (file_key TEXT PRIMARY KEY, dataset TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE ri_file_orders (
     file_key TEXT NOT NULL, order_id TEXT NOT NULL, PRIMARY KEY (file_key, order_id)
   ) WITHOUT ROWID;
   CREATE TABLE facts (
     order_id TEXT NOT NULL, item_id TEXT NOT NULL, user_id TEXT NOT NULL,
     order_status TEXT NOT NULL, order_created_at REAL NOT NULL, order_date TEXT NOT NULL,
     product_id TEXT NOT NULL, category TEXT, sale_price_cents INTEGER NOT NULL,
     PRIMARY KEY (order_id, item_id)
   ) WITHOUT ROWID;
   CREATE INDEX facts_date ON facts (order_date);
   CREATE TABLE order_kpis (
     order_date TEXT PRIMARY KEY, total_orders INTEGER NOT NULL, total_revenue REAL NOT NULL,
     total_items_sold INTEGER NOT NULL, return_rate REAL NOT NULL, unique_customers INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE category_kpis (
     category TEXT NOT NULL, order_date TEXT NOT NULL, daily_revenue REAL NOT NULL,
     avg_order_value REAL NOT NULL, avg_return_rate REAL NOT NULL,
     PRIMARY KEY (category, order_date)
   ) WITHOUT ROWID;`,
  // what each landing completed, so a re-run after a crash gets the same answer again
  `CREATE TABLE ri_landings (staged_key TEXT PRIMARY KEY, completions TEXT NOT NULL) WITHOUT ROWID;`,
  // the item id alone is a fact's key (as in the Delta merge): an item moved to another order
  // must not be counted under both
  `CREATE TABLE facts_by_item (
     item_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, user_id TEXT NOT NULL,
     order_status TEXT NOT NULL, order_created_at REAL NOT NULL, order_date TEXT NOT NULL,
     product_id TEXT NOT NULL, category TEXT, sale_price_cents INTEGER NOT NULL
   ) WITHOUT ROWID;
   INSERT OR REPLACE INTO facts_by_item SELECT item_id, order_id, user_id, order_status,
     order_created_at, order_date, product_id, category, sale_price_cents FROM facts;
   DROP TABLE facts;
   ALTER TABLE facts_by_item RENAME TO facts;
   CREATE INDEX facts_order ON facts (order_id);
   CREATE INDEX facts_date ON facts (order_date);`,
  // an order is reported again whenever its content differs from the LAST reported version
  // (A, B, A is three reports), so each order keeps one fingerprint instead of a set. Where the
  // set is ambiguous (several fingerprints) it becomes NULL: the order's current content is
  // reported once more, which replaces whatever version the KPIs hold with the right one.
  `ALTER TABLE ri_orders ADD COLUMN last_completed TEXT;
   UPDATE ri_orders SET last_completed = (
     SELECT MIN(c.fingerprint) FROM ri_completions c WHERE c.order_id = ri_orders.order_id
     HAVING COUNT(*) = 1);
   DROP TABLE ri_completions;`,
  // KPIs kept as exact totals (integer cents, counts); money and rates are derived when read.
  // The projection is rebuilt from the facts it is a function of, so no REAL value is carried over.
  `DROP TABLE order_kpis;
   DROP TABLE category_kpis;
   CREATE TABLE order_kpis (
     order_date TEXT PRIMARY KEY, total_orders INTEGER NOT NULL,
     total_revenue_cents INTEGER NOT NULL, total_items_sold INTEGER NOT NULL,
     returned_orders INTEGER NOT NULL, unique_customers INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE category_kpis (
     category TEXT NOT NULL, order_date TEXT NOT NULL, daily_revenue_cents INTEGER NOT NULL,
     orders INTEGER NOT NULL, returned_orders INTEGER NOT NULL,
     PRIMARY KEY (category, order_date)
   ) WITHOUT ROWID;
   INSERT INTO order_kpis SELECT order_date, COUNT(DISTINCT order_id), SUM(sale_price_cents),
     COUNT(*), COUNT(DISTINCT CASE WHEN order_status = 'returned' THEN order_id END),
     COUNT(DISTINCT user_id) FROM facts GROUP BY order_date;
   INSERT INTO category_kpis SELECT COALESCE(category, '(none)'), order_date,
     SUM(sale_price_cents), COUNT(DISTINCT order_id),
     COUNT(DISTINCT CASE WHEN order_status = 'returned' THEN order_id END)
     FROM facts GROUP BY COALESCE(category, '(none)'), order_date;`,
  // facts clustered by date (then order): a date's KPIs are a range scan of the table, not one
  // index lookup per fact (1M facts over 1,095 dates: GROUP BY 2.4 s -> 1.0 s); the item id
  // stays unique, so an item moved to another order still replaces its old fact
  `CREATE TABLE facts_by_date (
     order_date TEXT NOT NULL, order_id TEXT NOT NULL, item_id TEXT NOT NULL,
     user_id TEXT NOT NULL, order_status TEXT NOT NULL, order_created_at REAL NOT NULL,
     product_id TEXT NOT NULL, category TEXT, sale_price_cents INTEGER NOT NULL,
     PRIMARY KEY (order_date, order_id, item_id)
   ) WITHOUT ROWID;
   INSERT INTO facts_by_date SELECT order_date, order_id, item_id, user_id, order_status,
     order_created_at, product_id, category, sale_price_cents FROM facts;
   DROP TABLE facts;
   ALTER TABLE facts_by_date RENAME TO facts;
   CREATE UNIQUE INDEX facts_item ON facts (item_id);
   CREATE INDEX facts_order ON facts (order_id);`,
  // set-based completion: a row's file is a small integer (ri_sources) instead of two paths per
  // row (~130 bytes of each of 1M item rows); items are stored clustered by order, so the
  // completion query reads an order's items in one range, and found by id through an index
  `CREATE TABLE ri_sources (
     source INTEGER PRIMARY KEY, file_key TEXT NOT NULL, staged_key TEXT NOT NULL,
     UNIQUE (staged_key, file_key));
   INSERT INTO ri_sources (file_key, staged_key)
     SELECT file_key, staged_key FROM ri_items UNION SELECT file_key, staged_key FROM ri_products
     UNION SELECT file_key, staged_key FROM ri_orders WHERE file_key IS NOT NULL;
   CREATE TABLE ri_orders_v5 (
     order_id TEXT PRIMARY KEY, first_seen_at REAL NOT NULL, hash TEXT, num_of_items REAL,
     created_at REAL, source INTEGER, is_complete INTEGER NOT NULL DEFAULT 0, last_completed TEXT
   ) WITHOUT ROWID;
   INSERT INTO ri_orders_v5 SELECT o.order_id, o.first_seen_at, o.hash, o.num_of_items,
     o.created_at, s.source, o.is_complete, o.last_completed
     FROM ri_orders o LEFT JOIN ri_sources s ON s.file_key = o.file_key AND s.staged_key = o.staged_key;
   DROP TABLE ri_orders;
   ALTER TABLE ri_orders_v5 RENAME TO ri_orders;
   CREATE INDEX ri_orders_incomplete ON ri_orders (order_id) WHERE is_complete = 0;
   CREATE TABLE ri_items_v5 (
     order_id TEXT NOT NULL, item_id TEXT NOT NULL, product_id TEXT NOT NULL,
     hash TEXT NOT NULL, source INTEGER NOT NULL, PRIMARY KEY (order_id, item_id)
   ) WITHOUT ROWID;
   INSERT INTO ri_items_v5 SELECT i.order_id, i.item_id, i.product_id, i.hash, s.source
     FROM ri_items i JOIN ri_sources s ON s.file_key = i.file_key AND s.staged_key = i.staged_key;
   DROP TABLE ri_items;
   ALTER TABLE ri_items_v5 RENAME TO ri_items;
   CREATE UNIQUE INDEX ri_items_id ON ri_items (item_id);
   CREATE INDEX ri_items_product ON ri_items (product_id);
   CREATE TABLE ri_products_v5 (
     product_id TEXT PRIMARY KEY, hash TEXT NOT NULL, source INTEGER NOT NULL
   ) WITHOUT ROWID;
   INSERT INTO ri_products_v5 SELECT p.product_id, p.hash, s.source
     FROM ri_products p JOIN ri_sources s ON s.file_key = p.file_key AND s.staged_key = p.staged_key;
   DROP TABLE ri_products;
   ALTER TABLE ri_products_v5 RENAME TO ri_products;`,
  // a file's orders keyed by its source id, not its path (a 1M-item landing named 401k orders
  // with a ~40-byte path each); items found by product only through their incomplete orders,
  // so the 1M-entry product index goes (products waiting are looked up from the orders side)
  `CREATE TABLE ri_file_orders_v7 (
     source INTEGER NOT NULL, order_id TEXT NOT NULL, PRIMARY KEY (source, order_id)
   ) WITHOUT ROWID;
   INSERT OR IGNORE INTO ri_file_orders_v7 SELECT s.source, f.order_id
     FROM ri_file_orders f JOIN ri_sources s ON s.file_key = f.file_key;
   DROP TABLE ri_file_orders;
   ALTER TABLE ri_file_orders_v7 RENAME TO ri_file_orders;
   DROP INDEX ri_items_product;`,
  // a fact's date as a UTC day number (INTEGER, 3 bytes) instead of YYYY-MM-DD text (11 bytes):
  // the date is in the table's key, so it is also in both indexes' entries (1M facts: ~26 MB
  // less). SQL turns it back into text with date(order_day * 86400, 'unixepoch').
  `CREATE TABLE facts_v8 (
     order_day INTEGER NOT NULL, order_id TEXT NOT NULL, item_id TEXT NOT NULL,
     user_id TEXT NOT NULL, order_status TEXT NOT NULL, order_created_at REAL NOT NULL,
     product_id TEXT NOT NULL, category TEXT, sale_price_cents INTEGER NOT NULL,
     PRIMARY KEY (order_day, order_id, item_id)
   ) WITHOUT ROWID;
   INSERT INTO facts_v8 SELECT unixepoch(order_date) / 86400, order_id, item_id, user_id,
     order_status, order_created_at, product_id, category, sale_price_cents FROM facts;
   DROP TABLE facts;
   ALTER TABLE facts_v8 RENAME TO facts;
   CREATE UNIQUE INDEX facts_item ON facts (item_id);
   CREATE INDEX facts_order ON facts (order_id);`,
  // an item's hash as its 8 bytes where it is 16 lowercase hex digits (sqlite-hash-column.ts)
  `UPDATE ri_items SET hash = unhex(hash)
   WHERE length(hash) = 16 AND hash NOT GLOB '*[^0-9a-f]*';`,
  // a landing's answer stored in parts, each compressed on its own (sqlite-landing-record.ts)
  `CREATE TABLE ri_landing_parts (
     staged_key TEXT NOT NULL, part INTEGER NOT NULL, bytes BLOB NOT NULL,
     PRIMARY KEY (staged_key, part));`,
  // the days of each order's facts in a table of one row per order and day, instead of an index
  // of the facts by order (one entry per item): 1M facts of 401k orders insert ~1 CPU s faster.
  // A replace finds an order's facts as the key prefix (order_day, order_id) of each day listed.
  // A row may outlive its facts (an item moved to another order): readers check the facts.
  `CREATE TABLE facts_orders (
     order_id TEXT NOT NULL, order_day INTEGER NOT NULL, PRIMARY KEY (order_id, order_day)
   ) WITHOUT ROWID;
   INSERT OR IGNORE INTO facts_orders SELECT order_id, order_day FROM facts;
   DROP INDEX facts_order;`,
  // a fact's ids (order, item, customer, product) stored as INTEGER where the id is the plain
  // canonical decimal of an integer (idKey, sqlite-id-key.ts), any other id as its text, in
  // columns without affinity (no declared type: SQLite converts neither way, so '7' and '007'
  // stay apart). Shop ids are mostly such numbers: shorter records and keys, integer compares,
  // and the key (order_day, order_id, item_id) and the item index filled in the order a group's
  // items come (1M facts: ~1/4 less CPU for the insert, 1/5 fewer pages).
  `CREATE TABLE facts_v13 (
     order_day INTEGER NOT NULL, order_id NOT NULL, item_id NOT NULL, user_id NOT NULL,
     order_status TEXT NOT NULL, order_created_at REAL NOT NULL, product_id NOT NULL,
     category TEXT, sale_price_cents INTEGER NOT NULL,
     PRIMARY KEY (order_day, order_id, item_id)
   ) WITHOUT ROWID;
   INSERT INTO facts_v13 SELECT order_day, ${idKeySql('order_id')}, ${idKeySql('item_id')},
     ${idKeySql('user_id')}, order_status, order_created_at, ${idKeySql('product_id')},
     category, sale_price_cents FROM facts;
   DROP TABLE facts;
   ALTER TABLE facts_v13 RENAME TO facts;
   CREATE UNIQUE INDEX facts_item ON facts (item_id);
   CREATE TABLE facts_orders_v13 (
     order_id NOT NULL, order_day INTEGER NOT NULL, PRIMARY KEY (order_id, order_day)
   ) WITHOUT ROWID;
   INSERT INTO facts_orders_v13 SELECT ${idKeySql('order_id')}, order_day FROM facts_orders;
   DROP TABLE facts_orders;
   ALTER TABLE facts_orders_v13 RENAME TO facts_orders;`,
  // the reference index's ids (orders, items, products) in columns without type affinity: a
  // canonical decimal integer as that INTEGER, any other id as its TEXT (idKey,
  // sqlite-id-key.ts), so '12' and '012' stay apart. Smaller keys, and ascending ids
  // appended at the B-trees' right edge (docs/performance.md, "Round 10: register-sql").
  `CREATE TABLE ri_orders_keyed (
     order_id PRIMARY KEY, first_seen_at REAL NOT NULL, hash TEXT, num_of_items REAL,
     created_at REAL, source INTEGER, is_complete INTEGER NOT NULL DEFAULT 0, last_completed TEXT
   ) WITHOUT ROWID;
   INSERT INTO ri_orders_keyed SELECT ${idKeySql('order_id')}, first_seen_at, hash, num_of_items,
     created_at, source, is_complete, last_completed FROM ri_orders;
   DROP TABLE ri_orders;
   ALTER TABLE ri_orders_keyed RENAME TO ri_orders;
   CREATE INDEX ri_orders_incomplete ON ri_orders (order_id) WHERE is_complete = 0;
   CREATE TABLE ri_items_keyed (
     order_id NOT NULL, item_id NOT NULL, product_id NOT NULL, hash NOT NULL,
     source INTEGER NOT NULL, PRIMARY KEY (order_id, item_id)
   ) WITHOUT ROWID;
   INSERT INTO ri_items_keyed SELECT ${idKeySql('order_id')}, ${idKeySql('item_id')},
     ${idKeySql('product_id')}, hash, source FROM ri_items;
   DROP TABLE ri_items;
   ALTER TABLE ri_items_keyed RENAME TO ri_items;
   CREATE UNIQUE INDEX ri_items_id ON ri_items (item_id);
   CREATE TABLE ri_products_keyed (
     product_id PRIMARY KEY, hash TEXT NOT NULL, source INTEGER NOT NULL
   ) WITHOUT ROWID;
   INSERT INTO ri_products_keyed SELECT ${idKeySql('product_id')}, hash, source FROM ri_products;
   DROP TABLE ri_products;
   ALTER TABLE ri_products_keyed RENAME TO ri_products;
   CREATE TABLE ri_file_orders_keyed (
     source INTEGER NOT NULL, order_id NOT NULL, PRIMARY KEY (source, order_id)
   ) WITHOUT ROWID;
   INSERT INTO ri_file_orders_keyed SELECT source, ${idKeySql('order_id')} FROM ri_file_orders;
   DROP TABLE ri_file_orders;
   ALTER TABLE ri_file_orders_keyed RENAME TO ri_file_orders;`,
  // an order's customer, status and time stored once, in its facts_orders row (one per order
  // and day), not on each of its items' facts: the facts of one order and day share them (a
  // replace writes an order's facts whole, from one joined order). Each fact row is ~20 bytes
  // shorter and binds three values fewer (1M facts: the insert ~0.3-0.5 CPU s less); the KPI
  // SQL joins the order row by its key. Rows of facts_orders without facts are dropped; the
  // status is 'returned' where any fact said so, as the KPI SQL counted it.
  `CREATE TABLE facts_orders_v14 (
     order_id NOT NULL, order_day INTEGER NOT NULL, user_id NOT NULL, order_status TEXT NOT NULL,
     order_created_at REAL NOT NULL, PRIMARY KEY (order_id, order_day)
   ) WITHOUT ROWID;
   INSERT INTO facts_orders_v14 SELECT order_id, order_day, MIN(user_id),
     CASE WHEN MAX(order_status = 'returned') THEN 'returned' ELSE MIN(order_status) END,
     MIN(order_created_at) FROM facts GROUP BY order_id, order_day;
   DROP TABLE facts_orders;
   ALTER TABLE facts_orders_v14 RENAME TO facts_orders;
   CREATE TABLE facts_v14 (
     order_day INTEGER NOT NULL, order_id NOT NULL, item_id NOT NULL, product_id NOT NULL,
     category TEXT, sale_price_cents INTEGER NOT NULL,
     PRIMARY KEY (order_day, order_id, item_id)
   ) WITHOUT ROWID;
   INSERT INTO facts_v14 SELECT order_day, order_id, item_id, product_id, category,
     sale_price_cents FROM facts;
   DROP TABLE facts;
   ALTER TABLE facts_v14 RENAME TO facts;
   CREATE UNIQUE INDEX facts_item ON facts (item_id);`,
];

const migrate = (db: SqliteDb): void => {
  // IMMEDIATE: two processes opening a fresh file cannot both run the same step
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    MIGRATIONS.slice(current).forEach((sql) => db.exec(sql));
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
};

/** Opens (creating when needed) the state database; ':memory:' works for tests. */
export const openSqlite = (path: string): SqliteDb => {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // 8 KB pages for a new file (it must precede WAL mode; a file made with 4 KB pages keeps them):
  // half the B-tree pages to split and balance in the big inserts (the register's items, the
  // facts). With temp_store below, the 1M-item ingest took 19.4-20.5 s against 21.3-21.9 s
  // (docs/performance.md, "Round 8 on merged main").
  db.pragma('page_size = 8192');
  // WAL: readers (status, kpis) never block the writer, and a commit is one append
  db.pragma('journal_mode = WAL');
  // FULL rather than NORMAL: in WAL mode NORMAL survives a killed process but may drop the
  // last commits on power loss. The pipeline treats a commit (a file registered, an event
  // appended) as a promise to the user, and commits once per file, not per row.
  db.pragma('synchronous = FULL');
  // a big landing's transaction grows the WAL to hundreds of MB (387 MB after a 1M-item ingest);
  // once checkpointed, it is cut back to this instead of staying on disk at its largest
  db.pragma('journal_size_limit = 67108864');
  // another process (a second `ingest`, `watch`) holding the write lock: wait, do not fail
  db.pragma('busy_timeout = 10000');
  // the register's TEMP tables (a batch's key rows, the landing's touched orders) and the
  // statement journals of its multi-row INSERT OR REPLACE kept in memory, not in a temp file
  // written page by page: tens of MB at most, for a landing of millions of rows
  db.pragma('temp_store = MEMORY');
  migrate(db);
  return db;
};
