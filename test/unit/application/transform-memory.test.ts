// The Transform tells the runtime when it has dropped a group's memory, so it is reclaimed
// before the join and before the fact and Delta writes instead of sitting under their peak:
// first what Validate left, the manifest's completion columns and the columns only the group
// rules read (Transform takes the rows with JOIN_COLUMNS), then the rows the join consumed.
// V8MemoryReclaim really collects, a WeakRef's target read in the same job included.
import { GCProfiler } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { V8MemoryReclaim } from '../../../src/adapters/node/v8-memory-reclaim.js';
import { StagedRows, type LoadedGroup } from '../../../src/application/staged-rows.js';
import type { CompletionColumns } from '../../../src/domain/completion-columns.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { MEMORY_RECLAIM, type MemoryReclaim } from '../../../src/ports/memory-reclaim.port.js';
import { FACT_STORE, type FactStore } from '../../../src/ports/fact-store.port.js';
import { ingestOneOrderShop, SHOP_DATE } from './one-order-shop.js';

describe('TransformGroup and MemoryReclaim', () => {
  it('takes the rows (releasing them), reclaims, joins, and reclaims again', async () => {
    const steps: string[] = [];
    const v8 = new V8MemoryReclaim();
    let completions: WeakRef<CompletionColumns> | null = null;
    let taken: LoadedGroup | null = null;
    const spy: MemoryReclaim = {
      reclaim: async () => {
        await v8.reclaim();
        // nothing holds the completion columns any more: only the taken rows go to the join
        steps.push(completions?.deref() === undefined ? 'reclaim' : 'reclaim, completions kept');
      },
    };
    const container = buildInMemoryContainer();
    container.rebind(MEMORY_RECLAIM).toConstantValue(spy);
    const { take, release } = StagedRows.prototype;
    StagedRows.prototype.take = async function (this: StagedRows, c, columns) {
      completions = new WeakRef(c);
      taken = await take.call(this, c, columns);
      steps.push('take');
      return taken;
    };
    StagedRows.prototype.release = function (this: StagedRows, c) {
      steps.push('release');
      release.call(this, c);
    };
    try {
      await ingestOneOrderShop(container);
    } finally {
      Object.assign(StagedRows.prototype, { take, release });
    }
    expect(steps).toEqual(['release', 'take', 'reclaim', 'reclaim']);
    // the join read the rows with the join's columns only: no item user_id, no hashes
    const items = (taken as LoadedGroup | null)?.items[0];
    expect(Object.keys(items?.batch.columns ?? {})).toEqual([
      'id',
      'order_id',
      'product_id',
      'sale_price',
    ]);
    expect(items?.hashes).toBeUndefined();
    expect(await container.get<FactStore>(FACT_STORE).forDates([SHOP_DATE])).toHaveLength(1);
  });

  it("makes the join's columns with the reclaim where the runtime can (reclaimAround), then reclaims once more", async () => {
    const steps: string[] = [];
    const v8 = new V8MemoryReclaim();
    const spy: MemoryReclaim = {
      reclaim: async () => {
        await v8.reclaim();
        steps.push('reclaim');
      },
      reclaimAround: async (make) => {
        const made = await v8.reclaimAround(make);
        steps.push(`reclaimAround: ${made === undefined ? 'nothing' : 'made'}`);
        return made;
      },
    };
    const container = buildInMemoryContainer();
    container.rebind(MEMORY_RECLAIM).toConstantValue(spy);
    await ingestOneOrderShop(container);
    expect(steps).toEqual(['reclaimAround: made', 'reclaim']);
    expect(await container.get<FactStore>(FACT_STORE).forDates([SHOP_DATE])).toHaveLength(1);
  });

  it('V8MemoryReclaim.reclaimAround collects once: after `make`, unless V8 collected in full during it', async () => {
    const memory = new V8MemoryReclaim();
    const gc = runInNewContext('gc') as () => void;
    const fullCollections = async (work: () => Promise<unknown>): Promise<number> => {
      const profiler = new GCProfiler();
      profiler.start();
      await work();
      return profiler
        .stop()
        .statistics.filter((s: { gcType: string }) => s.gcType === 'MarkSweepCompact').length;
    };
    // nothing collected while making: one collection after it, which frees what a WeakRef read
    // in the caller's job held (as reclaim does)
    let big: number[] | null = Array.from({ length: 100_000 }, (_, i) => i);
    const weak = new WeakRef(big);
    big = null;
    expect(weak.deref()?.length).toBe(100_000);
    let made: string | undefined;
    expect(await fullCollections(async () => (made = await memory.reclaimAround(() => 'x')))).toBe(
      1,
    );
    expect(made).toBe('x');
    expect(weak.deref()).toBeUndefined();
    // a full collection while making stands for the reclaim: not a second one
    expect(await fullCollections(() => memory.reclaimAround(() => gc()))).toBe(1);
    // a failed make still reclaims, and its error reaches the caller
    const failing = memory.reclaimAround(() => {
      throw new Error('no columns');
    });
    await expect(failing).rejects.toThrow('no columns');
  });

  it('V8MemoryReclaim collects an object nothing holds any more, read through a WeakRef in the same job', async () => {
    const memory = new V8MemoryReclaim();
    let big: number[] | null = Array.from({ length: 100_000 }, (_, i) => i);
    const weak = new WeakRef(big);
    big = null;
    // read in this job: a collection before the job ends would keep it
    expect(weak.deref()?.length).toBe(100_000);
    await memory.reclaim();
    expect(weak.deref()).toBeUndefined();
  });
});
