// A second group overlapping a big first one: the merge reads the touched partition's file back
// (150,000 rows) and rewrites it with the corrected facts. Reading a file's rows once spread them
// as call arguments, which overflowed the stack past ~10^5 rows (found by the 1M benchmark: the
// second group's transform failed with "Maximum call stack size exceeded").
import { describe, expect, it } from 'vitest';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';
import { DAY0 } from './delta-test-support.js';
import { factColumnsOf } from '../../../src/domain/kpi/fact-columns.js';

const ORDERS = 50_000;
const fact = (o: number, i: number, cents: number): Fact => ({
  itemId: `${o}-${i}`,
  orderId: String(o),
  userId: `u${o % 97}`,
  orderStatus: 'complete',
  orderCreatedAt: DAY0,
  productId: `p${i}`,
  category: 'c',
  salePriceCents: cents,
});
const NO_KPIS = { dates: [], kpis: { order: [], category: [] } };

describe('order_facts, one partition of 150,000 rows', () => {
  it('a second overlapping group rewrites the partition with its corrected facts', async () => {
    const tables = new DeltaAnalyticsTables(new InMemoryObjectStore());
    const first: Fact[] = [];
    for (let o = 0; o < ORDERS; o++) for (let i = 0; i < 3; i++) first.push(fact(o, i, 100));
    await tables.commit({
      ...NO_KPIS,
      transactionId: 'g1',
      orderIds: [],
      facts: factColumnsOf(first),
    });
    const fixed = [fact(7, 0, 250), fact(7, 1, 250), fact(7, 2, 250)];
    await tables.commit({
      ...NO_KPIS,
      transactionId: 'g2',
      orderIds: ['7'],
      facts: factColumnsOf(fixed),
    });
    const facts = await tables.readFacts();
    expect(facts).toHaveLength(3 * ORDERS);
    const cents = facts.reduce((sum, f) => sum + f.salePriceCents, 0);
    expect(cents).toBe(3 * ORDERS * 100 + 3 * 150);
    expect(facts.filter((f) => f.orderId === '7').map((f) => f.salePriceCents)).toEqual([
      250, 250, 250,
    ]);
    const snapshot = await tables.orderFacts.snapshot();
    expect(snapshot?.files.size).toBe(1);
  }, 180_000);
});
