// The Transform writes a big group in slices of whole order dates (fact-slices.ts): every slice's
// touchedBy before any write, then each slice's replaceOrders. Proven here on every FactStore
// adapter: after any history of replaces, a group written slice by slice (slices as small as
// one fact) leaves exactly the facts one replace of the whole group leaves (the replace rule's
// model), and the slices' touched dates together are the whole replace's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factColumnsOf } from '../../src/domain/kpi/fact-columns.js';
import { FactSlices } from '../../src/domain/kpi/fact-slices.js';
import type { Fact } from '../../src/domain/kpi/kpi.types.js';
import { byItemId, DATES, replaceInModel, stepArb } from './fact-store-kpis.contract.js';
import type { FactStoreFactory } from './fact-store.contract.js';

export function describeFactStoreSlices(
  adapterName: string,
  factory: FactStoreFactory,
  runs: number,
) {
  describe(`FactStore written in date slices: ${adapterName}`, () => {
    it('a group written slice by slice equals one replace of the whole group', async () => {
      const history = fc.array(stepArb, { maxLength: 4 });
      const slice = fc.integer({ min: 1, max: 4 });
      await fc.assert(
        fc.asyncProperty(history, stepArb, slice, async (before, group, maxFacts) => {
          const { port, cleanup } = await factory();
          try {
            const model = new Map<string, Fact>();
            for (const { orderIds, facts } of before) {
              await port.replaceOrders(orderIds, factColumnsOf(facts));
              replaceInModel(model, orderIds, facts);
            }
            const slices = new FactSlices(group.orderIds, factColumnsOf(group.facts), maxFacts);
            const touched = new Set<string>();
            for (let s = 0; s < slices.count; s++) {
              const { orderIds, facts } = slices.sliceAt(s);
              for (const d of await port.touchedBy(orderIds, facts)) touched.add(d);
            }
            const replaced = new Set<string>();
            for (let s = 0; s < slices.count; s++) {
              const { orderIds, facts } = slices.sliceAt(s);
              for (const d of await port.replaceOrders(orderIds, facts)) replaced.add(d);
            }
            const expected = replaceInModel(model, group.orderIds, group.facts);
            expect([...touched].sort()).toEqual(expected);
            expect([...replaced].sort()).toEqual(expected);
            expect([...(await port.forDates(DATES))].sort(byItemId)).toEqual(
              [...model.values()].sort(byItemId),
            );
            expect(await port.count()).toBe(model.size);
          } finally {
            await cleanup();
          }
        }),
        { numRuns: runs },
      );
    }, 600_000);
  });
}
