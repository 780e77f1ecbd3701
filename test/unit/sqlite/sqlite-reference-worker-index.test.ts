// SqliteWorkerReferenceIndex: a landing's keys staged on a worker thread's own connection while
// the landing decodes, registered there. Beside the contract (test/contract), what its lifecycle
// must do: one worker per big landing, small or busy-machine landings inline, a worker that
// dies or fails leaves nothing registered (its transaction rolls back), and no open process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDb } from '../../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-index.js';
import { SqliteWorkerReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-worker-index.js';
import { busyWorkerCount } from '../../../src/adapters/node/spare-core.js';
import type { KeyBatch, LandingKeys } from '../../../src/ports/reference-index.port.js';
import { itemsFile, ordersFile, productsFile } from '../../contract/reference-index.contract.js';
import { registerInBatches } from '../../contract/support/landing-scenarios.js';

const scratch = mkdtempSync(join(tmpdir(), 'sqlite-ri-worker-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let homes = 0;

function indexIn(options: { minBytes?: number; maxBytes?: number; spareCore?: boolean } = {}) {
  const path = join(scratch, `${(homes += 1)}.db`);
  const db = openSqlite(path);
  const index = new SqliteWorkerReferenceIndex(new SqliteReferenceIndex(db), {
    path,
    minBytes: options.minBytes ?? 0,
    maxBytes: options.maxBytes ?? 2 ** 30,
    // a busy test machine must not send these landings inline
    spareCore: () => options.spareCore ?? true,
    datasets: ['orders', 'order_items', 'products'],
  });
  return { db, path, index };
}

/** a shop of n orders of two items each, over 10 products */
function shop(n: number): LandingKeys[] {
  const orders = Array.from({ length: n }, (_, o) => `o${o}`);
  return [
    productsFile(
      'p.csv',
      Array.from({ length: 10 }, (_, p) => `p${p}`),
    ),
    ordersFile(
      'o.csv',
      orders.map((id) => [id, 2]),
    ),
    itemsFile(
      'i.csv',
      orders.flatMap((id, o) => [
        [`${id}-a`, id, `p${o % 10}`],
        [`${id}-b`, id, `p${(o + 3) % 10}`],
      ]),
    ),
  ];
}

/** where begin is told a landing is (the abandon tests' landings never register) */
const AT = { fileKey: 'x.csv', stagedKey: 'staging/x.parquet' };

const tempRows = (db: SqliteDb): number =>
  db.prepare<[], { n: number }>('SELECT count(*) AS n FROM temp.t_item_rows').get()?.n ?? -1;

/** true while another connection holds the file's write lock (asked without waiting) */
const writeLocked = (path: string): boolean => {
  const probe = new Database(path, { timeout: 0 });
  try {
    probe.exec('BEGIN IMMEDIATE; ROLLBACK');
    return false;
  } catch {
    return true;
  } finally {
    probe.close();
  }
};

/** waits (polling, up to a minute) until the file's write lock is held, or free: `locked` */
const untilWriteLocked = async (path: string, locked: boolean): Promise<void> => {
  const deadline = Date.now() + 60_000;
  while (writeLocked(path) !== locked) {
    if (Date.now() > deadline) throw new Error(`the file never became locked: ${locked}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** an orders batch of these ids, item counts and row hashes, without created_at */
const ordersBatch = (orderIds: string[], numOfItems: number[], hashes: string[]): KeyBatch => ({
  dataset: 'orders',
  orderIds,
  numOfItems: Float64Array.from(numOfItems),
  createdAt: new Float64Array(orderIds.length).fill(NaN),
  hashes,
});

/** a landing's keys handed to the worker through begin, in batches of `size`, not registered */
const begun = (index: SqliteWorkerReferenceIndex, landing: LandingKeys, size: number) => {
  const { fileKey, stagedKey } = landing;
  const staging = index.begin(landing.dataset, { fileKey, stagedKey, bytes: 1 });
  if (staging === undefined) throw new Error('the worker declined the landing');
  const rows = landing.hashes.length;
  // through the support's batches: a landing whose register is asked at once is not what we want
  for (let at = 0; at < rows; at += size) {
    const slice = (a: readonly string[]) => a.slice(at, at + size);
    if (landing.dataset !== 'order_items') throw new Error('an order_items landing');
    staging.add({
      dataset: 'order_items',
      itemIds: slice(landing.itemIds),
      orderIds: slice(landing.orderIds),
      productIds: slice(landing.productIds),
      hashes: slice(landing.hashes),
    });
  }
  return staging;
};

/** a slow write, so the worker is caught holding the transaction: n^3 rows counted */
const slowWrite = (table: string, n: number): string =>
  `CREATE TABLE slow (x INTEGER);
   WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n})
   INSERT INTO slow SELECT x FROM c;
   CREATE TRIGGER slow_write AFTER INSERT ON ${table}
   BEGIN SELECT count(*) FROM slow a, slow b, slow c; END`;
/** the landing record: the transaction's last write, after the answer */
const slowRecord = (n = 400) => slowWrite('ri_landings', n);
/** the landing's file row: written before the completion query, so before the answer */
const slowFileRow = () => slowWrite('ri_files', 400);

describe('SqliteWorkerReferenceIndex', () => {
  it('stages big landings batch by batch on a worker and answers as the inline index', async () => {
    const { db, index } = indexIn({ minBytes: 1000 });
    const inline = new SqliteReferenceIndex(openSqlite(':memory:'));
    const busy = busyWorkerCount();
    for (const [at, landing] of shop(300).entries()) {
      const registering = registerInBatches(index, landing, 64, at);
      expect(busyWorkerCount()).toBe(busy + 1);
      const got = await registering;
      expect(got).toEqual(await inline.register(landing, at));
      // the worker counted busy (spare-core.ts) only while a landing holds it
      expect(busyWorkerCount()).toBe(busy);
    }
    // the item keys went into the worker's TEMP tables, not this connection's
    expect(tempRows(db)).toBe(0);
    expect(await index.completedCount()).toBe(300);
    expect(await index.pending()).toEqual([]);
    await index.close();
    db.close();
  });

  it("shares the answer's location columns with the worker (no copy crosses)", async () => {
    const { db, index } = indexIn();
    const [products, orders, items] = shop(50) as [LandingKeys, LandingKeys, LandingKeys];
    await index.register(products, 0);
    await index.register(orders, 1);
    const got = await registerInBatches(index, items, 16, 2);
    expect(got.orderIds).toHaveLength(50);
    for (const l of [got.orders, got.items, got.products])
      for (const a of [l.file, l.hi, l.lo]) expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    await index.close();
    db.close();
  });

  it('declines files out of its size limits, and every landing when no core is spare', async () => {
    const limits = { minBytes: 1000, maxBytes: 2000 };
    for (const [options, bytes] of [
      [limits, 999],
      [limits, 2001],
      [{ ...limits, spareCore: false }, 1500],
    ] as const) {
      const { db, index } = indexIn(options);
      expect(index.begin('order_items', { ...AT, bytes })).toBeUndefined();
      const inline = new SqliteReferenceIndex(openSqlite(':memory:'));
      for (const [at, landing] of shop(40).entries()) {
        expect(await registerInBatches(index, landing, 16, at, bytes)).toEqual(
          await inline.register(landing, at),
        );
      }
      // registered whole on this connection
      expect(tempRows(db)).toBe(80);
      await index.close();
      db.close();
    }
  });

  it('takes order_items landings by default, and orders landings given their register time', async () => {
    const path = join(scratch, `${(homes += 1)}.db`);
    const db = openSqlite(path);
    const index = new SqliteWorkerReferenceIndex(new SqliteReferenceIndex(db), {
      path,
      spareCore: () => true,
    });
    const size = { ...AT, bytes: 32 * 2 ** 20 };
    expect([index.begin('orders', size), index.begin('products', size)]).toEqual([
      undefined,
      undefined,
    ]);
    expect(index.begin('products', { ...size, now: 1 })).toBeUndefined();
    const items = index.begin('order_items', size);
    expect(items).toBeDefined();
    items?.abandon();
    const orders = index.begin('orders', { ...size, now: 1 });
    expect(orders).toBeDefined();
    orders?.abandon();
    await index.close();
    db.close();
  });

  it("holds an orders landing's transaction from begin when given its time, and abandon rolls its upserts back", async () => {
    const { db, path, index } = indexIn();
    const staging = index.begin('orders', { ...AT, bytes: 1, now: 5 });
    staging?.add(ordersBatch(['o1', 'o2'], [1, 2], ['h1', 'h2']));
    // the batch's orders are upserted inside the open transaction, unseen by this connection
    await untilWriteLocked(path, true);
    staging?.abandon();
    await untilWriteLocked(path, false);
    const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM ri_orders').get()?.n;
    expect([count, await index.pending()]).toEqual([0, []]);
    await index.close();
    db.close();
  });

  it('registers an orders landing given its time with that time as its orders first-seen time', async () => {
    const { db, index } = indexIn();
    const staging = index.begin('orders', { ...AT, bytes: 1, now: 7 });
    staging?.add(ordersBatch(['o1', 'o2'], [1, 2], ['h1', 'h2']));
    staging?.add(ordersBatch(['o3', 'o1'], [1, 3], ['h3', 'h1b']));
    expect((await staging?.register(AT.fileKey, AT.stagedKey, 7))?.orderIds).toEqual([]);
    await staging?.committed();
    // the last row of o1 wins, as in one statement; every order first seen at 7
    expect((await index.pending()).map((o) => [o.orderId, o.expectedItems, o.firstSeenAt])).toEqual(
      [
        ['o1', 3, 7],
        ['o2', 2, 7],
        ['o3', 1, 7],
      ],
    );
    await index.close();
    db.close();
  });

  it('declines a second landing while one has the worker', async () => {
    const { db, index } = indexIn();
    const first = index.begin('orders', { ...AT, bytes: 1 });
    expect(first).toBeDefined();
    expect(index.begin('orders', { ...AT, bytes: 1 })).toBeUndefined();
    first?.abandon();
    index.begin('orders', { ...AT, bytes: 1 })?.abandon();
    await index.close();
    db.close();
  });

  it('an abandoned landing registers nothing, and the next one is whole', async () => {
    const { db, index } = indexIn();
    const [products, orders, items] = shop(30) as [LandingKeys, LandingKeys, LandingKeys];
    await index.register(products, 1);
    await index.register(orders, 2);
    const staging = index.begin('order_items', { ...AT, bytes: 1 });
    staging?.add({
      dataset: 'order_items',
      itemIds: ['x1', 'x2', 'x3'],
      orderIds: ['o1', 'o1', 'o2'],
      productIds: ['p1', 'p1', 'p1'],
      hashes: ['h1', 'h2', 'h3'],
    });
    staging?.abandon();
    expect((await index.register(items, 3)).orderIds).toHaveLength(30);
    expect(await index.pending()).toEqual([]);
    await index.close();
    db.close();
  });

  it("holds an items landing's transaction from begin, and abandon rolls its upserts back", async () => {
    const { db, path, index } = indexIn();
    const staging = index.begin('order_items', { ...AT, bytes: 1 });
    staging?.add({
      dataset: 'order_items',
      itemIds: ['x1', 'x2'],
      orderIds: ['o1', 'o1'],
      productIds: ['p1', 'p1'],
      hashes: ['h1', 'h2'],
    });
    // the batch's rows are upserted inside the open transaction, unseen by this connection
    await untilWriteLocked(path, true);
    staging?.abandon();
    await untilWriteLocked(path, false);
    const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM ri_items').get()?.n;
    expect([count, await index.completedCount(), await index.pending()]).toEqual([0, 0, []]);
    await index.close();
    db.close();
  });

  it('a transaction that fails on the worker rolls back whole: nothing registered', async () => {
    const { db, index } = indexIn();
    const [products, orders, items] = shop(30) as [LandingKeys, LandingKeys, LandingKeys];
    await index.register(products, 1);
    await index.register(orders, 2);
    // the landing record is the transaction's last write, after the answer
    db.exec(`CREATE TRIGGER refuse AFTER INSERT ON ri_landings
             BEGIN SELECT raise(ABORT, 'refused by the test'); END`);
    const staging = begun(index, items, 7);
    // answered (before the commit), then the commit fails
    expect((await staging.register(items.fileKey, items.stagedKey, 3)).orderIds).toHaveLength(30);
    await expect(staging.committed()).rejects.toThrow(/refused by the test/);
    const count = (table: string) =>
      db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n;
    // the products' and orders' landings recorded, the items' not
    expect([count('ri_items'), count('ri_landings'), await index.completedCount()]).toEqual([
      0, 2, 0,
    ]);
    db.exec('DROP TRIGGER refuse');
    expect((await registerInBatches(index, items, 7, 4)).orderIds).toHaveLength(30);
    expect(await index.completedCount()).toBe(30);
    await index.close();
    db.close();
  });

  it('the next register and the reads wait for the commit, not for the answer', async () => {
    const { db, index } = indexIn();
    const [products, orders, items] = shop(30) as [LandingKeys, LandingKeys, LandingKeys];
    await index.register(products, 1);
    await index.register(orders, 2);
    db.exec(slowRecord(300));
    const staging = begun(index, items, 7);
    await staging.register(items.fileKey, items.stagedKey, 3);
    let committed = false;
    const commit = staging.committed().then(() => (committed = true));
    // asked after the answer, before the commit: answered after the commit, as the commit left it
    const [count, again] = await Promise.all([
      index.completedCount().then((n) => [n, committed] as const),
      index.register(itemsFile('i2.csv', [['o1-a', 'o1', 'p1', 'h-changed']]), 4),
    ]);
    await commit;
    expect(count).toEqual([30, true]);
    // o1's item changed against what the first landing committed: o1 reported again
    expect(again.orderIds).toEqual(['o1']);
    await index.close();
    db.close();
  });

  it('a worker that dies inside the transaction fails the landing and leaves nothing', async () => {
    // stopped before its answer (a slow write before the completion query: the answer cannot
    // have come once the transaction is open), or after it (a slow landing record): the landing
    // fails either way, at the answer or at the commit
    for (const [slow, stage] of [
      [slowFileRow, 'answering'],
      [slowRecord, 'committing'],
    ] as const) {
      const { db, path, index } = indexIn();
      const [products, orders, items] = shop(30) as [LandingKeys, LandingKeys, LandingKeys];
      await index.register(products, 1);
      await index.register(orders, 2);
      db.exec(slow());
      const staging = begun(index, items, 7);
      const answer = staging.register(items.fileKey, items.stagedKey, 3);
      answer.catch(() => undefined);
      if (stage === 'committing') await answer;
      else await untilWriteLocked(path, true);
      await index.close();
      const failure = new RegExp(`worker stopped .* before ${stage}: the landing was not`);
      await expect(stage === 'committing' ? staging.committed() : answer).rejects.toThrow(failure);
      db.exec('DROP TRIGGER slow_write');
      expect(writeLocked(path)).toBe(false);
      const count = (table: string) =>
        db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n;
      // the products' and orders' landings recorded, the items' not
      expect([count('ri_items'), count('ri_landings'), await index.completedCount()]).toEqual([
        0, 2, 0,
      ]);
      // the next landing starts another worker and registers whole
      expect((await registerInBatches(index, items, 7, 4)).orderIds).toHaveLength(30);
      await index.close();
      db.close();
    }
  });

  it('does not keep the process alive', () => {
    const script = join(import.meta.dirname, 'sqlite-reference-worker-exit.fixture.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, join(scratch, 'exit.db')], {
      encoding: 'utf8',
      cwd: join(import.meta.dirname, '..', '..', '..'),
      timeout: 120_000,
    });
    expect(run.stderr).toBe('');
    expect([run.status, run.signal, run.stdout.trim()]).toEqual([0, null, 'completed 200 orders']);
  });
});
