// `npx tsx bench/fact-insert.bench.ts [--facts N]`: ways of inserting a group's facts into the
// SQLite facts table (the real schema, a fresh file), timed in CPU: one bound statement per
// fact (9 values each), multi-row statements of R rows, and one JSON array per chunk read by
// json_each. Prints one line per way; the fact store uses the fastest.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqlite, type SqliteDb } from '../src/adapters/sqlite/sqlite-database.js';

const { values } = parseArgs({ options: { facts: { type: 'string', default: '300000' } } });
const N = Number(values.facts);
const DAY = 86_400_000;
const START = Date.UTC(2025, 2, 1);
const CATEGORIES = ['Jeans', 'Tops', 'Accessories', 'Shoes', 'Outerwear', null];
type Row = [string, string, string, string, number, number, string, string | null, number];
const rows: Row[] = Array.from({ length: N }, (_, i) => {
  const order = Math.floor(i / 3);
  const at = START + Math.floor((order * 7) / (N / 3)) * DAY + (order % 86_400) * 1000;
  return [
    String(order + 1),
    String(i + 1),
    String((order * 7919) % 300_000),
    order % 10 === 0 ? 'returned' : 'delivered',
    at,
    Math.floor(at / DAY),
    String(i % 10_000),
    CATEGORIES[i % CATEGORIES.length] ?? null,
    (i * 7919) % 50_000,
  ];
});
const COLUMNS = `(order_id, item_id, user_id, order_status, order_created_at, order_day, product_id,
  category, sale_price_cents)`;

const perRow = (db: SqliteDb) => {
  const insert = db.prepare<Row>(
    `INSERT OR REPLACE INTO facts ${COLUMNS} VALUES (?,?,?,?,?,?,?,?,?)`,
  );
  for (const r of rows) insert.run(...r);
};
// INSERT OR REPLACE of several rows keeps a statement journal (it may abort on a NOT NULL
// column); INSERT OR IGNORE never aborts, so it keeps none
const multiRow =
  (per: number, verb = 'INSERT OR REPLACE') =>
  (db: SqliteDb) => {
    const tuple = '(?,?,?,?,?,?,?,?,?)';
    const many = db.prepare(
      `${verb} INTO facts ${COLUMNS} VALUES ${Array(per).fill(tuple).join(',')}`,
    );
    const one = db.prepare(`${verb} INTO facts ${COLUMNS} VALUES ${tuple}`);
    const args: unknown[] = new Array(per * 9);
    let i = 0;
    for (; i + per <= rows.length; i += per) {
      for (let k = 0; k < per; k++) {
        const r = rows[i + k] as Row;
        for (let c = 0; c < 9; c++) args[k * 9 + c] = r[c];
      }
      many.run(args);
    }
    for (; i < rows.length; i++) one.run(...(rows[i] as Row));
  };
const jsonChunks = (per: number) => (db: SqliteDb) => {
  const insert = db.prepare<[string]>(
    `INSERT OR REPLACE INTO facts ${COLUMNS} SELECT value->>0, value->>1, value->>2, value->>3,
       value->>4, value->>5, value->>6, value->>7, value->>8 FROM json_each(?)`,
  );
  for (let i = 0; i < rows.length; i += per) insert.run(JSON.stringify(rows.slice(i, i + per)));
};

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortedByKey = (db: SqliteDb) => {
  const insert = db.prepare<Row>(
    `INSERT OR REPLACE INTO facts ${COLUMNS} VALUES (?,?,?,?,?,?,?,?,?)`,
  );
  const order = rows.map((_, i) => i);
  order.sort((a, b) => {
    const x = rows[a] as Row;
    const y = rows[b] as Row;
    return x[5] - y[5] || cmp(x[0], y[0]) || cmp(x[1], y[1]);
  });
  for (const i of order) insert.run(...(rows[i] as Row));
};
const withCache = (kib: number, way: (db: SqliteDb) => void) => (db: SqliteDb) => {
  db.pragma(`cache_size = -${kib}`);
  way(db);
};

const ways: [string, (db: SqliteDb) => void][] = [
  ['sorted by the table key', sortedByKey],
  ['cache 32 MB', withCache(32768, perRow)],
  ['cache 32 MB, sorted', withCache(32768, sortedByKey)],
  ['one statement per fact', perRow],
  ['16 rows per statement', multiRow(16)],
  ['64 rows per statement', multiRow(64)],
  ['64 rows per INSERT OR IGNORE', multiRow(64, 'INSERT OR IGNORE')],
  ['json_each, 10k rows per array', jsonChunks(10_000)],
];
for (const [name, way] of ways) {
  const dir = mkdtempSync(join(tmpdir(), 'fact-insert-'));
  const db = openSqlite(join(dir, 'state.db'));
  const t = process.cpuUsage();
  db.transaction(() => way(db)).immediate();
  const u = process.cpuUsage(t);
  const n = (db.prepare('SELECT COUNT(*) AS n FROM facts').get() as { n: number }).n;
  console.log(`${name.padEnd(32)} ${((u.user + u.system) / 1e6).toFixed(2)} CPU s, ${n} facts`);
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
