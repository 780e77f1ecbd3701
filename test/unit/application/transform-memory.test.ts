// The Transform tells the runtime when it has dropped a group's decoded staged rows (Validate's
// garbage before the join, the staged rows after it), so that memory is reclaimed before the
// fact and Delta writes instead of sitting under their peak. V8MemoryReclaim really collects.
import { describe, expect, it } from 'vitest';
import { V8MemoryReclaim } from '../../../src/adapters/node/v8-memory-reclaim.js';
import { StagedRows } from '../../../src/application/staged-rows.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { MEMORY_RECLAIM, type MemoryReclaim } from '../../../src/ports/memory-reclaim.port.js';
import { FACT_STORE, type FactStore } from '../../../src/ports/fact-store.port.js';
import { ingestOneOrderShop, SHOP_DATE } from './one-order-shop.js';

describe('TransformGroup and MemoryReclaim', () => {
  it('reclaims before the join and again once the staged rows are released', async () => {
    const steps: string[] = [];
    const release = StagedRows.prototype.release;
    const spy: MemoryReclaim = { reclaim: () => void steps.push('reclaim') };
    const container = buildInMemoryContainer();
    container.rebind(MEMORY_RECLAIM).toConstantValue(spy);
    StagedRows.prototype.release = function (this: StagedRows, ...args) {
      steps.push('release');
      release.apply(this, args);
    };
    try {
      await ingestOneOrderShop(container);
    } finally {
      StagedRows.prototype.release = release;
    }
    expect(steps).toEqual(['reclaim', 'release', 'reclaim']);
    expect(await container.get<FactStore>(FACT_STORE).forDates([SHOP_DATE])).toHaveLength(1);
  });

  it('V8MemoryReclaim collects an object nothing holds any more', async () => {
    const memory = new V8MemoryReclaim();
    let big: number[] | null = Array.from({ length: 100_000 }, (_, i) => i);
    const weak = new WeakRef(big);
    big = null;
    // a WeakRef target stays alive until the end of the current job
    await new Promise((resolve) => setTimeout(resolve, 0));
    memory.reclaim();
    expect(weak.deref()).toBeUndefined();
  });
});
