import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryFactStore } from '../../src/adapters/in-memory/in-memory-fact-store.js';
import { openSqlite } from '../../src/adapters/sqlite/sqlite-database.js';
import { SqliteFactStore } from '../../src/adapters/sqlite/sqlite-fact-store.js';
import { SqliteKpiStore } from '../../src/adapters/sqlite/sqlite-kpi-store.js';
import { factColumnsOf } from '../../src/domain/kpi/fact-columns.js';
import { describeFactStoreKpis } from './fact-store-kpis.contract.js';
import { describeFactStorePeriods } from './fact-store-periods.contract.js';
import { describeFactStoreContract } from './fact-store.contract.js';
import { sqliteFactory } from './sqlite-factory.js';

const factory = sqliteFactory((db) => new SqliteFactStore(db));
describeFactStoreContract('sqlite', factory);
describeFactStoreKpis('sqlite', factory, 100);
describeFactStorePeriods('sqlite', factory, 100);
// ids bound in JSON arrays of 2: every replace and touchedBy of the properties spans several
const smallArrays = sqliteFactory((db) => new SqliteFactStore(db, { idsPerArray: 2 }));
describeFactStoreKpis('sqlite, ids in arrays of 2', smallArrays, 50);

describe('SqliteFactStore inserts facts 64 to a statement', () => {
  it('stores 1,000 facts (15 statements of 64 rows, 40 of one) as the in-memory store does', async () => {
    const { port, cleanup } = await factory();
    const memory = new InMemoryFactStore();
    try {
      const facts = Array.from({ length: 1000 }, (_, i) => ({
        itemId: `i${i}`,
        orderId: `o${Math.floor(i / 3)}`,
        userId: `u${i % 7}`,
        orderStatus: i % 5 === 0 ? 'returned' : 'delivered',
        orderCreatedAt: Date.UTC(2024, 0, 1 + (i % 3), i % 24),
        productId: `p${i % 11}`,
        category: i % 4 === 0 ? null : `c${i % 3}`,
        salePriceCents: i * 101,
      }));
      const orderIds = [...new Set(facts.map((f) => f.orderId))];
      const dates = ['2024-01-01', '2024-01-02', '2024-01-03'];
      expect(await port.replaceOrders(orderIds, factColumnsOf(facts))).toEqual(dates);
      await memory.replaceOrders(orderIds, factColumnsOf(facts));
      expect(await port.count()).toBe(1000);
      expect(await port.forDates(dates)).toEqual(await memory.forDates(dates));
      expect(await port.kpiTotals(dates)).toEqual(await memory.kpiTotals(dates));
    } finally {
      await cleanup();
    }
  });
});

describe('SqliteFactStore keeps ids that are decimals of integers as INTEGER', () => {
  // ids numeric in some rows and text in others, within one 64-row statement and across them
  const facts = (n: number, base: number, mixed = true) =>
    Array.from({ length: n }, (_, i) => {
      const k = base + i;
      const text = (id: string, when: boolean) => (mixed && when ? `0${id}` : id);
      return {
        itemId: text(String(k), k % 3 === 0),
        orderId: String(Math.floor(k / 3)),
        // an order's customer (its facts share it, as the join makes them)
        userId: text(String(Math.floor(k / 3) % 7), Math.floor(k / 3) % 5 === 0),
        orderStatus: 'delivered',
        orderCreatedAt: Date.UTC(2024, 0, 1 + (k % 2), 12),
        productId: text(String(k % 11), k % 2 === 1),
        category: k % 4 === 0 ? null : `c${k % 3}`,
        salePriceCents: k * 101,
      };
    });
  const dates = ['2024-01-01', '2024-01-02'];

  it('stores them as numbers, others as text, and answers as the in-memory store does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-fact-ids-'));
    const db = openSqlite(join(dir, 'state.db'));
    const memory = new InMemoryFactStore();
    try {
      const port = new SqliteFactStore(db);
      // numeric ids only (statements of 64 rows), then mixed ones (a statement a row where a
      // 64-row block mixes them), then orders whose items move in from others (REPLACE)
      const groups = [
        facts(200, 5000, false),
        facts(128, 3),
        facts(1000, 131),
        facts(90, 600).map((f) => ({ ...f, orderId: `9${f.orderId}` })),
      ];
      for (const group of groups) {
        const orderIds = [...new Set(group.map((f) => f.orderId))];
        const expected = await memory.replaceOrders(orderIds, factColumnsOf(group));
        expect(await port.replaceOrders(orderIds, factColumnsOf(group))).toEqual(expected);
      }
      expect(await port.forDates(dates)).toEqual(await memory.forDates(dates));
      expect(await port.kpiTotals(dates)).toEqual(await memory.kpiTotals(dates));
      expect(await port.count()).toBe(await memory.count());
      const types = db
        .prepare<[], { i: string; n: number }>(
          `SELECT typeof(f.item_id) || typeof(f.order_id) || typeof(o.user_id)
             || typeof(f.product_id) AS i, COUNT(*) AS n
           FROM facts AS f JOIN facts_orders AS o USING (order_id, order_day)
           GROUP BY 1 ORDER BY 1`,
        )
        .all()
        .map((r) => r.i);
      expect(types).toContain('integerintegerintegerinteger');
      expect(types).toContain('textintegertexttext');
      expect(types).toContain('integerintegerintegertext');
      expect(db.prepare('SELECT DISTINCT typeof(order_id) AS t FROM facts_orders').all()).toEqual([
        { t: 'integer' },
      ]);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteFactStore inserts new items with INSERT OR IGNORE, REPLACE otherwise', () => {
  const facts = (n: number, order = (i: number) => `o${Math.floor(i / 3)}`) =>
    Array.from({ length: n }, (_, i) => ({
      itemId: `i${i}`,
      orderId: order(i),
      userId: `u-${order(i)}`,
      orderStatus: 'delivered',
      orderCreatedAt: Date.UTC(2024, 0, 1 + (i % 2), 12),
      productId: `p${i % 11}`,
      category: i % 4 === 0 ? null : `c${i % 3}`,
      salePriceCents: i * 101,
    }));
  const dates = ['2024-01-01', '2024-01-02'];
  const bothStores = async (groups: [string[], ReturnType<typeof facts>][]) => {
    const { port, cleanup } = await factory();
    const memory = new InMemoryFactStore();
    try {
      for (const [orderIds, group] of groups) {
        const expected = await memory.replaceOrders(orderIds, factColumnsOf(group));
        expect(await port.replaceOrders(orderIds, factColumnsOf(group))).toEqual(expected);
      }
      expect(await port.forDates(dates)).toEqual(await memory.forDates(dates));
      expect(await port.count()).toBe((await memory.forDates(dates)).length);
      expect(await port.kpiTotals(dates)).toEqual(await memory.kpiTotals(dates));
    } finally {
      await cleanup();
    }
  };

  it('keeps the last fact of an item repeated in one group (in a 64-row statement)', async () => {
    const group = facts(200);
    // i5 again, later and under another order: IGNORE drops it, so the group is replaced again
    group.push({ ...group[5]!, orderId: 'late', orderCreatedAt: Date.UTC(2024, 0, 2, 8) });
    group[150] = { ...group[9]!, salePriceCents: 9 };
    await bothStores([[[], group]]);
  });

  it('re-delivers the same orders (their facts deleted first, so no item conflicts)', async () => {
    const again = facts(200).map((f) => ({ ...f, salePriceCents: f.salePriceCents + 1 }));
    await bothStores([
      [[], facts(200)],
      [['o0'], again.slice(3)],
    ]);
  });

  it('replaces an item moved from an order not listed, among new items', async () => {
    await bothStores([
      [[], facts(200)],
      [[], facts(300, (i) => (i === 4 ? 'moved' : `n${Math.floor(i / 3)}`)).slice(4)],
    ]);
  });

  it('re-delivers an order whose items had all moved away with its new customer and status', async () => {
    // o1's only item moves to o2 (o1 not listed): o1's order row outlives its facts; o1 then
    // comes again on the same day, returned, by another customer, among 70 new orders (so in
    // a 64-row statement of order rows as well as in a short one)
    const one = (item: string, order: string, status: string, user: string) => ({
      ...facts(1)[0]!,
      itemId: item,
      orderId: order,
      userId: user,
      orderStatus: status,
    });
    const others = (base: number) =>
      Array.from({ length: 70 }, (_, k) => one(`x${base + k}`, `p${base + k}`, 'delivered', 'u9'));
    for (const at of [0, 69]) {
      const again = others(at * 100);
      again.splice(at, 0, one('i2', 'o1', 'returned', 'u-new'));
      await bothStores([
        [['o1'], [one('i1', 'o1', 'delivered', 'u-old')]],
        [['o2'], [one('i1', 'o2', 'delivered', 'u-old')]],
        [[...new Set(again.map((f) => f.orderId))], again],
      ]);
    }
  });

  it('throws on a NULL value (NaN cents) and writes nothing, as INSERT OR REPLACE did', async () => {
    const { port, cleanup } = await factory();
    try {
      await port.replaceOrders([], factColumnsOf(facts(10)));
      // new items of new orders: the INSERT OR IGNORE path
      const group = facts(200, (i) => `x${i}`).slice(10);
      group[70] = { ...group[70]!, salePriceCents: Number.NaN };
      await expect(port.replaceOrders([], factColumnsOf(group))).rejects.toThrow(/NOT NULL/);
      expect(await port.count()).toBe(10);
    } finally {
      await cleanup();
    }
  });
});

// the days of a group's facts: whatever a store keeps from touchedBy for the replace that
// follows, it dates the facts the replace is given, and a time no Date holds writes nothing
describe('SqliteFactStore dates the facts of a replace', () => {
  const facts = (n: number, day: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => ({
      itemId: `${prefix}i${i}`,
      orderId: `${prefix}o${Math.floor(i / 3)}`,
      userId: `u${Math.floor(i / 3) % 7}`,
      orderStatus: Math.floor(i / 3) % 5 === 0 ? 'returned' : 'delivered',
      // runs of equal days interleaved, as a real group's orders fall
      orderCreatedAt: Date.UTC(2024, 0, day + (Math.floor(i / 6) % 3), 12),
      productId: `p${i % 11}`,
      category: i % 4 === 0 ? null : `c${i % 3}`,
      salePriceCents: i * 101,
    }));

  it('dates the facts it is given, not those touchedBy was given before', async () => {
    const { port, cleanup } = await factory();
    const memory = new InMemoryFactStore();
    try {
      const looked = factColumnsOf(facts(200, 1, 'a'));
      const given = factColumnsOf(facts(200, 10, 'b'));
      const orderIds = [...new Set(given.orderId)];
      await port.touchedBy(orderIds, looked);
      const expected = await memory.replaceOrders(orderIds, given);
      expect(expected).toEqual(['2024-01-10', '2024-01-11', '2024-01-12']);
      expect(await port.replaceOrders(orderIds, given)).toEqual(expected);
      expect(await port.forDates(expected)).toEqual(await memory.forDates(expected));
      expect(await port.kpiTotals(expected)).toEqual(await memory.kpiTotals(expected));
      expect(await port.forDates(['2024-01-01', '2024-01-02'])).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('throws on a time no date holds and writes nothing, after touchedBy or without it', async () => {
    const { port, cleanup } = await factory();
    try {
      await port.replaceOrders([], factColumnsOf(facts(10, 1, 'a')));
      for (const bad of [Number.NaN, 8.64e15 + 1, Number.POSITIVE_INFINITY]) {
        const group = facts(200, 1, 'b');
        // inside a run of its day: only a check of every fact finds it
        group[71] = { ...group[71]!, orderCreatedAt: bad };
        const columns = factColumnsOf(group);
        const orderIds = [...new Set(columns.orderId)];
        await expect(port.touchedBy(orderIds, columns)).rejects.toThrow(RangeError);
        await expect(port.replaceOrders(orderIds, columns)).rejects.toThrow(RangeError);
        expect(await port.count()).toBe(10);
      }
    } finally {
      await cleanup();
    }
  });
});

describe('SqliteFactStore.version across connections', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const fact = (orderId: string, itemId: string) => ({
    itemId,
    orderId,
    userId: 'u1',
    orderStatus: 'delivered',
    orderCreatedAt: Date.UTC(2024, 0, 1, 12),
    productId: 'p1',
    category: 'Toys',
    salePriceCents: 500,
  });

  it('changes when another connection writes facts, not when the KPI store writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fact-version-'));
    dirs.push(dir);
    const [ours, theirs] = [openSqlite(join(dir, 'state.db')), openSqlite(join(dir, 'state.db'))];
    const store = new SqliteFactStore(ours);
    await store.replaceOrders(['o1'], factColumnsOf([fact('o1', 'i1')]));
    const read = await store.version();
    // the KPI store shares the connection: its writes are not fact changes
    await new SqliteKpiStore(ours).replaceDates(
      ['2024-01-01'],
      await store.kpiTotals(['2024-01-01']),
    );
    expect(await store.version()).toBe(read);
    // a second store on the same connection writes: counted for the connection, not per store
    await new SqliteFactStore(ours).replaceOrders(['o2'], factColumnsOf([fact('o2', 'i2')]));
    const afterSibling = await store.version();
    expect(afterSibling).not.toBe(read);
    // another connection (another process, in real life) writes
    await new SqliteFactStore(theirs).replaceOrders(['o3'], factColumnsOf([fact('o3', 'i3')]));
    expect(await store.version()).not.toBe(afterSibling);
    ours.close();
    theirs.close();
  });
});

describe('SqliteFactStore answers from what it just found or wrote while no fact changed', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const twoConnections = () => {
    const dir = mkdtempSync(join(tmpdir(), 'fact-fast-'));
    dirs.push(dir);
    return [openSqlite(join(dir, 'state.db')), openSqlite(join(dir, 'state.db'))] as const;
  };
  const fact = (orderId: string, itemId: string, day = 1, cents = 500) => ({
    itemId,
    orderId,
    userId: 'u1',
    orderStatus: 'delivered',
    orderCreatedAt: Date.UTC(2024, 0, day, 12),
    productId: 'p1',
    category: 'Toys',
    salePriceCents: cents,
  });
  // a write through the raw connection is one the store cannot tell (neither version() nor
  // data_version moves): it shows whether the store looked again or answered from before
  const behindTheStore = (db: ReturnType<typeof openSqlite>, sql: string) => db.exec(sql);

  it('kpiTotals of dates that held only the facts just written answers from them', async () => {
    const [ours, theirs] = twoConnections();
    const store = new SqliteFactStore(ours);
    const facts = factColumnsOf([fact('o1', 'i1'), fact('o1', 'i2'), fact('o2', 'i3', 2)]);
    await store.replaceOrders(['o1', 'o2'], facts);
    behindTheStore(ours, 'UPDATE facts SET sale_price_cents = 0');
    const totals = await store.kpiTotals(['2024-01-01', '2024-01-02']);
    expect(totals.days.map((d) => d.revenueCents)).toEqual([1000n, 500n]);
    // another connection's commit: the store aggregates again, and sees both writes
    await new SqliteFactStore(theirs).replaceOrders(['o9'], factColumnsOf([fact('o9', 'i9')]));
    const again = await store.kpiTotals(['2024-01-01', '2024-01-02']);
    expect(again.days.map((d) => d.revenueCents)).toEqual([500n, 0n]);
    ours.close();
    theirs.close();
  });

  it('kpiTotals aggregates in SQLite where a date held other facts, or a date is not the facts’', async () => {
    const [ours, theirs] = twoConnections();
    const store = new SqliteFactStore(ours);
    await store.replaceOrders(['o1'], factColumnsOf([fact('o1', 'i1')]));
    // o2 joins o1 on day 1: the totals of day 1 are not o2's alone
    await store.replaceOrders(['o2'], factColumnsOf([fact('o2', 'i2', 1, 700)]));
    const day1 = await store.kpiTotals(['2024-01-01']);
    expect(day1.days.map((d) => [d.orders, d.revenueCents])).toEqual([[2, 1200n]]);
    // o3 alone on day 3, but asked with day 1 too: both from SQLite
    await store.replaceOrders(['o3'], factColumnsOf([fact('o3', 'i3', 3)]));
    behindTheStore(ours, 'UPDATE facts SET sale_price_cents = 1');
    const both = await store.kpiTotals(['2024-01-01', '2024-01-03']);
    expect(both.days.map((d) => d.revenueCents)).toEqual([2n, 1n]);
    ours.close();
    theirs.close();
  });

  it('touchedBy and the replace skip their lookups only while no fact at all is stored', async () => {
    const [ours, theirs] = twoConnections();
    const store = new SqliteFactStore(ours);
    const facts = factColumnsOf([fact('o1', 'i1', 2)]);
    // nothing stored: the facts' own date only
    expect(await store.touchedBy(['o1'], facts)).toEqual(['2024-01-02']);
    // i1 stored under o0 on day 1 (behind the store: no version moves): both look again
    const i1UnderO0 = `INSERT INTO facts (order_day, order_id, item_id, product_id, category, sale_price_cents)
       VALUES (${Date.UTC(2024, 0, 1) / 86_400_000}, 'o0', 'i1', 'p1', 'Toys', 500);
     INSERT OR REPLACE INTO facts_orders VALUES
       ('o0', ${Date.UTC(2024, 0, 1) / 86_400_000}, 'u1', 'delivered', ${Date.UTC(2024, 0, 1, 12)})`;
    behindTheStore(ours, i1UnderO0);
    expect(await store.touchedBy(['o1'], factColumnsOf([fact('o1', 'i1', 2)]))).toEqual([
      '2024-01-01',
      '2024-01-02',
    ]);
    behindTheStore(ours, 'DELETE FROM facts');
    behindTheStore(ours, i1UnderO0);
    expect(await store.replaceOrders(['o1'], facts)).toEqual(['2024-01-01', '2024-01-02']);
    expect(await store.count()).toBe(1);
    ours.close();
    theirs.close();
  });

  it('a replace after touchedBy found no date does not look for dates again, unless a fact changed', async () => {
    const [ours, theirs] = twoConnections();
    const store = new SqliteFactStore(ours);
    const facts = factColumnsOf([fact('o1', 'i1', 2)]);
    // the same arrays to both calls, as the Transform passes them
    const orders = ['o1'];
    expect(await store.touchedBy(orders, facts)).toEqual(['2024-01-02']);
    // i1 appears under o0 on day 1 behind the store: the replace trusts touchedBy's answer
    behindTheStore(
      ours,
      `INSERT INTO facts (order_day, order_id, item_id, product_id, category, sale_price_cents)
       VALUES (${Date.UTC(2024, 0, 1) / 86_400_000}, 'o0', 'i1', 'p1', 'Toys', 500);
     INSERT OR REPLACE INTO facts_orders VALUES
       ('o0', ${Date.UTC(2024, 0, 1) / 86_400_000}, 'u1', 'delivered', ${Date.UTC(2024, 0, 1, 12)})`,
    );
    expect(await store.replaceOrders(orders, facts)).toEqual(['2024-01-02']);

    // the same, but another connection commits in between: the replace looks again and finds
    // the item's old date
    const moved = factColumnsOf([fact('o5', 'i5', 2)]);
    const movedOrders = ['o5'];
    expect(await store.touchedBy(movedOrders, moved)).toEqual(['2024-01-02']);
    await new SqliteFactStore(theirs).replaceOrders(['o4'], factColumnsOf([fact('o4', 'i5')]));
    expect(await store.replaceOrders(movedOrders, moved)).toEqual(['2024-01-01', '2024-01-02']);
    // other columns than touchedBy's (a write behind the store again): looked up again
    const otherOrders = ['o6'];
    expect(await store.touchedBy(otherOrders, factColumnsOf([fact('o6', 'i6', 2)]))).toEqual([
      '2024-01-02',
    ]);
    behindTheStore(
      ours,
      `INSERT INTO facts (order_day, order_id, item_id, product_id, category, sale_price_cents)
       VALUES (${Date.UTC(2024, 0, 1) / 86_400_000}, 'o7', 'i6', 'p1', 'Toys', 500);
     INSERT OR REPLACE INTO facts_orders VALUES
       ('o7', ${Date.UTC(2024, 0, 1) / 86_400_000}, 'u1', 'delivered', ${Date.UTC(2024, 0, 1, 12)})`,
    );
    expect(await store.replaceOrders(otherOrders, factColumnsOf([fact('o6', 'i6', 2)]))).toEqual([
      '2024-01-01',
      '2024-01-02',
    ]);
    ours.close();
    theirs.close();
  });
});
