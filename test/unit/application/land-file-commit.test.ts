// LandFile with a register answered before it commits (the local index's worker answers the
// completion columns, then writes the orders' states and the landing record and commits): the
// staged object and the group's manifest are written meanwhile, and nothing is appended before
// the commit. A commit that fails after the answer fails the landing with nothing appended; the
// manifest it left is named by no event, and the landing run again lands as if it never was.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRight } from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-index.js';
import { SqliteWorkerReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-worker-index.js';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { EVENT_STORE, type EventStore } from '../../../src/ports/event-store.port.js';
import { OBJECT_STORE, type ObjectStore } from '../../../src/ports/object-store.port.js';
import { REFERENCE_INDEX } from '../../../src/ports/reference-index.port.js';

const PRODUCTS = 'id,sku,cost,category,name,brand,retail_price,department';
const ORDERS = 'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';

const scratch = mkdtempSync(join(tmpdir(), 'land-file-commit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let homes = 0;

const setup = () => {
  const path = join(scratch, `${(homes += 1)}.db`);
  const db = openSqlite(path);
  // every order_items landing on the worker (no size limit, a core always spare)
  const index = new SqliteWorkerReferenceIndex(new SqliteReferenceIndex(db), {
    path,
    minBytes: 0,
    spareCore: () => true,
  });
  const container = buildInMemoryContainer();
  container.rebind(REFERENCE_INDEX).toConstantValue(index);
  const objects = container.get<ObjectStore>(OBJECT_STORE);
  const events = container.get<EventStore>(EVENT_STORE);
  const land = container.get<LandFile>(TOKENS.LandFile);
  const write = (key: string, ...lines: string[]) => objects.put(key, lines.join('\n'));
  const put = async (key: string, ...lines: string[]) => {
    await write(key, ...lines);
    return land.execute(key);
  };
  const manifests = async () =>
    (await objects.list('groups/')).map((o) => o.key).filter((k) => k.endsWith('manifest.json'));
  /** every event's type, and the manifest a GroupCompleted names */
  const log = async () =>
    (await events.readAll(0)).map((e) =>
      e.type === 'GroupCompleted'
        ? `GroupCompleted ${(e.data as { manifestKey: string }).manifestKey}`
        : `${e.type} ${(e.data as { fileKey?: string }).fileKey ?? ''}`,
    );
  const done = async () => {
    await index.close();
    db.close();
  };
  return { db, index, objects, land, write, put, manifests, log, done };
};

/** products, then orders 1 and 2 (each wants one item): registered inline */
const landShop = async (s: ReturnType<typeof setup>) => {
  await s.put('incoming/products/p.csv', PRODUCTS, 'p1,S,1.00,Toys,Ball,Acme,2.00,Kids');
  await s.put(
    'incoming/orders/o.csv',
    ORDERS,
    '1,u1,delivered,2025-03-01T00:00:00,,,,1',
    '2,u2,delivered,2025-03-02T00:00:00,,,,1',
  );
};
const ITEM_ROWS = ['i1,1,u1,p1,delivered,,,,,3.50', 'i2,2,u2,p1,delivered,,,,,4.25'];
const ITEMS_KEY = 'incoming/order_items/i.csv';

/** the landing record is the register's last write, after its answer */
const REFUSE = `CREATE TRIGGER refuse AFTER INSERT ON ri_landings
                BEGIN SELECT raise(ABORT, 'refused by the test'); END`;

/** the shop landed, then the items with their commit refused (the trigger left on); the log before */
const itemsRefused = async (s: ReturnType<typeof setup>) => {
  await landShop(s);
  const before = await s.log();
  s.db.exec(REFUSE);
  await expect(s.put(ITEMS_KEY, ITEMS, ...ITEM_ROWS)).rejects.toThrow(/refused by the test/);
  return before;
};

describe('LandFile with a register answered before its commit', () => {
  it('a commit failing after the answer: nothing appended, the error surfaces, a retry lands', async () => {
    const s = setup();
    try {
      const before = await itemsRefused(s);
      // nothing appended, nothing registered
      expect(await s.log()).toEqual(before);
      expect(await s.index.completedCount()).toBe(0);
      expect((await s.index.pending()).map((p) => [p.orderId, p.landedItems])).toEqual([
        ['1', 0],
        ['2', 0],
      ]);
      // the manifest was written beside the register, before its commit failed
      const orphan = await s.manifests();
      expect(orphan).toHaveLength(1);

      s.db.exec('DROP TRIGGER refuse');
      const again = await s.land.execute(ITEMS_KEY);
      expect(isRight(again) && again.right._tag).toBe('Landed');
      const groups = isRight(again) ? again.right.groups : [];
      expect(groups.map((g) => g.orderCount)).toEqual([2]);
      // the same group (same staged key, same completions): its manifest written again
      expect(await s.manifests()).toEqual(orphan);
      expect((await s.log()).slice(before.length, before.length + 2)).toEqual([
        `GroupCompleted ${orphan[0]}`,
        `FileLanded ${ITEMS_KEY}`,
      ]);
      expect(await s.index.completedCount()).toBe(2);
    } finally {
      await s.done();
    }
  });

  it('a manifest left by a failed commit is no group: a changed state forms another', async () => {
    const s = setup();
    try {
      const before = await itemsRefused(s);
      const [orphan] = await s.manifests();
      s.db.exec('DROP TRIGGER refuse');
      // order 1 corrected before the items land again: its fingerprint, and the group, differ
      await s.put('incoming/orders/o2.csv', ORDERS, '1,u1,returned,2025-03-01T00:00:00,,,,1');
      const again = await s.land.execute(ITEMS_KEY);
      expect(isRight(again) && again.right.groups.map((g) => g.orderCount)).toEqual([2]);
      const manifests = await s.manifests();
      expect(manifests).toHaveLength(2);
      const named = (await s.log()).filter((e) => e.startsWith('GroupCompleted'));
      // only the retry's group is named by an event: the failed landing's manifest by none
      expect(named).toEqual([`GroupCompleted ${manifests.find((k) => k !== orphan)}`]);
      expect((await s.log()).slice(before.length)).toEqual([
        'FileLanded incoming/orders/o2.csv',
        named[0],
        `FileLanded ${ITEMS_KEY}`,
      ]);
    } finally {
      await s.done();
    }
  });

  it('a write failing beside the register waits for its commit; a retry answers the same', async () => {
    const s = setup();
    try {
      await landShop(s);
      const before = await s.log();
      const put = s.objects.put.bind(s.objects);
      let fail = true;
      s.objects.put = async (key, body) => {
        if (fail && key.startsWith('groups/')) throw new Error('disk full');
        return put(key, body);
      };
      await expect(s.put(ITEMS_KEY, ITEMS, ...ITEM_ROWS)).rejects.toThrow('disk full');
      // the register committed before the landing failed (as when the staged put failed
      // after an inline register): nothing appended
      expect(await s.log()).toEqual(before);
      expect(await s.index.completedCount()).toBe(2);
      fail = false;
      // registered again: its first answer, the same group
      const again = await s.land.execute(ITEMS_KEY);
      expect(isRight(again) && again.right.groups.map((g) => g.orderCount)).toEqual([2]);
      const manifests = await s.manifests();
      expect(manifests).toHaveLength(1);
      expect((await s.log()).slice(before.length, before.length + 2)).toEqual([
        `GroupCompleted ${manifests[0]}`,
        `FileLanded ${ITEMS_KEY}`,
      ]);
    } finally {
      await s.done();
    }
  });
});
