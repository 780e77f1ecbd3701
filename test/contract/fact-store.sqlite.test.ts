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

describe('SqliteFactStore inserts new items with INSERT OR IGNORE, REPLACE otherwise', () => {
  const facts = (n: number, order = (i: number) => `o${Math.floor(i / 3)}`) =>
    Array.from({ length: n }, (_, i) => ({
      itemId: `i${i}`,
      orderId: order(i),
      userId: `u${i % 7}`,
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
