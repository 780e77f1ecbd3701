import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/adapters/sqlite/sqlite-database.js';
import { SqliteFactStore } from '../../src/adapters/sqlite/sqlite-fact-store.js';
import { SqliteKpiStore } from '../../src/adapters/sqlite/sqlite-kpi-store.js';
import { factColumnsOf } from '../../src/domain/kpi/fact-columns.js';
import { describeFactStoreKpis } from './fact-store-kpis.contract.js';
import { describeFactStorePeriods } from './fact-store-periods.contract.js';
import { describeFactStoreSlices } from './fact-store-slices.contract.js';
import { describeFactStoreContract } from './fact-store.contract.js';
import { sqliteFactory } from './sqlite-factory.js';

const factory = sqliteFactory((db) => new SqliteFactStore(db));
describeFactStoreContract('sqlite', factory);
describeFactStoreKpis('sqlite', factory, 100);
describeFactStorePeriods('sqlite', factory, 100);
describeFactStoreSlices('sqlite', factory, 100);

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
