// What every ReferenceIndex adapter must do (in-memory, SQLite, DynamoDB): spec section 3.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { completionsOf } from '../../src/domain/completion-columns.js';
import {
  decide,
  evolveAll,
  initialState,
  isComplete,
  lacksOf,
} from '../../src/domain/order-completion.decider.js';
import type { LandingKeys, ReferenceIndex } from '../../src/ports/reference-index.port.js';
import { landingScenarios, registerInBatches } from './support/landing-scenarios.js';

export type ReferenceIndexFactory = () => Promise<{
  port: ReferenceIndex;
  cleanup: () => Promise<void>;
}>;

const T0 = Date.UTC(2024, 0, 1);
export const ordersFile = (
  key: string,
  rows: [id: string, n: number, hash?: string][],
): LandingKeys => ({
  dataset: 'orders',
  fileKey: key,
  stagedKey: `staging/${key}.parquet`,
  orderIds: rows.map((r) => r[0]),
  numOfItems: Float64Array.from(rows.map((r) => r[1])),
  createdAt: Float64Array.from(rows.map((_, i) => T0 + i)),
  hashes: rows.map((r) => r[2] ?? `h-${r[0]}`),
});
export const itemsFile = (
  key: string,
  rows: [id: string, order: string, product: string, hash?: string][],
): LandingKeys => ({
  dataset: 'order_items',
  fileKey: key,
  stagedKey: `staging/${key}.parquet`,
  itemIds: rows.map((r) => r[0]),
  orderIds: rows.map((r) => r[1]),
  productIds: rows.map((r) => r[2]),
  hashes: rows.map((r) => r[3] ?? `h-${r[0]}`),
});
export const productsFile = (key: string, ids: string[]): LandingKeys => ({
  dataset: 'products',
  fileKey: key,
  stagedKey: `staging/${key}.parquet`,
  productIds: ids,
  hashes: ids.map((id) => `h-${id}`),
});

export function describeReferenceIndexContract(
  adapterName: string,
  factory: ReferenceIndexFactory,
) {
  describe(`ReferenceIndex contract: ${adapterName}`, () => {
    let index: ReferenceIndex;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ port: index, cleanup } = await factory());
    });
    afterEach(async () => cleanup());
    // the answer spelled out (the decider's shape), so each order is compared whole
    const register = async (landing: LandingKeys, now: number) =>
      completionsOf(await index.register(landing, now));

    const ids = (cs: { orderId: string }[]) => cs.map((c) => c.orderId).sort();

    it('completes an order once its row, all its items and their products landed', async () => {
      expect(
        await register(
          itemsFile('i1.csv', [
            ['i2', 'o1', 'p2'],
            ['i1', 'o1', 'p1'],
          ]),
          T0,
        ),
      ).toEqual([]);
      expect(await register(productsFile('p.csv', ['p1', 'p2', 'p3']), T0)).toEqual([]);
      const [done, ...rest] = await register(ordersFile('o.csv', [['o1', 2]]), T0 + 5);
      expect(rest).toEqual([]);
      expect(done).toMatchObject({
        orderId: 'o1',
        createdAt: T0,
        order: { key: 'o.csv', stagedKey: 'staging/o.csv.parquet', hash: 'h-o1' },
        items: [
          { key: 'i1.csv', stagedKey: 'staging/i1.csv.parquet', hash: 'h-i1' },
          { key: 'i1.csv', stagedKey: 'staging/i1.csv.parquet', hash: 'h-i2' },
        ],
        products: [
          { key: 'p.csv', stagedKey: 'staging/p.csv.parquet', hash: 'h-p1' },
          { key: 'p.csv', stagedKey: 'staging/p.csv.parquet', hash: 'h-p2' },
        ],
      });
      expect(done?.fingerprint).toMatch(/\S/);
      expect(await index.completedCount()).toBe(1);
      expect(await index.pending()).toEqual([]);
    });

    it('reports nothing for an identical re-delivery, and completes again on changed content', async () => {
      await register(productsFile('p.csv', ['p1']), T0);
      await register(itemsFile('i.csv', [['i1', 'o1', 'p1']]), T0);
      const [first] = await register(ordersFile('o.csv', [['o1', 1]]), T0);
      expect(await register(ordersFile('o-again.csv', [['o1', 1]]), T0)).toEqual([]);
      expect(await register(itemsFile('i-again.csv', [['i1', 'o1', 'p1']]), T0)).toEqual([]);
      const changed = await register(ordersFile('o2.csv', [['o1', 1, 'h-o1-returned']]), T0);
      expect(ids(changed)).toEqual(['o1']);
      expect(changed[0]?.fingerprint).not.toBe(first?.fingerprint);
      expect(changed[0]?.order.key).toBe('o2.csv');
      const item = await register(itemsFile('i2.csv', [['i1', 'o1', 'p1', 'h-i1-fixed']]), T0);
      expect(ids(item)).toEqual(['o1']);
      expect(await register(itemsFile('i3.csv', [['i1', 'o1', 'p1', 'h-i1-fixed']]), T0)).toEqual(
        [],
      );
      expect(await index.completedCount()).toBe(1);
    });

    it('completes again whenever the content differs from the last reported one (A, B, A)', async () => {
      await register(productsFile('p.csv', ['p1']), T0);
      await register(itemsFile('i.csv', [['i1', 'o1', 'p1']]), T0);
      const fp = (cs: { orderId: string; fingerprint: string }[]) =>
        cs.map((c) => `${c.orderId}@${c.fingerprint}`);
      const a = fp(await register(ordersFile('a.csv', [['o1', 1, 'h-delivered']]), T0));
      const b = fp(await register(ordersFile('b.csv', [['o1', 1, 'h-returned']]), T0));
      // e.g. a correction back to delivered: the returned version must be replaced again
      const back = await register(ordersFile('a2.csv', [['o1', 1, 'h-delivered']]), T0);
      expect(a).toHaveLength(1);
      expect(b).toHaveLength(1);
      expect(b).not.toEqual(a);
      expect(fp(back)).toEqual(a);
      expect(back[0]?.order.key).toBe('a2.csv');
      expect(await register(ordersFile('a3.csv', [['o1', 1, 'h-delivered']]), T0)).toEqual([]);
      // the same through an item: changed, then changed back
      expect(
        fp(await register(itemsFile('ix.csv', [['i1', 'o1', 'p1', 'h-i1-x']]), T0)),
      ).toHaveLength(1);
      expect(fp(await register(itemsFile('i-back.csv', [['i1', 'o1', 'p1']]), T0))).toEqual(a);
      expect(await register(itemsFile('i-again.csv', [['i1', 'o1', 'p1']]), T0)).toEqual([]);
      expect(await index.completedCount()).toBe(1);
    });

    it('racing landings of one change report it once, and once again for the change back', async () => {
      const n = 10;
      const orderIds = Array.from({ length: n }, (_, o) => `o${o}`);
      const version = (key: string, hash: string) =>
        ordersFile(
          key,
          orderIds.map((id): [string, number, string] => [id, 1, `${hash}-${id}`]),
        );
      await register(productsFile('p.csv', ['p1']), T0);
      await register(
        itemsFile(
          'i.csv',
          orderIds.map((id): [string, string, string] => [`${id}-i`, id, 'p1']),
        ),
        T0,
      );
      expect(ids(await register(version('a.csv', 'A'), T0))).toEqual(orderIds.sort());
      for (const [hash, round] of [
        ['B', 'b'],
        ['A', 'a'],
      ] as const) {
        const racing = await Promise.all(
          [1, 2, 3].map((k) => register(version(`${round}${k}.csv`, hash), T0)),
        );
        expect(ids(racing.flat())).toEqual(orderIds.sort());
      }
      expect(await register(version('a9.csv', 'A'), T0)).toEqual([]);
    });

    it('racing landings of different changes leave the current content reported last', async () => {
      const n = 10;
      const orderIds = Array.from({ length: n }, (_, o) => `o${o}`);
      const version = (key: string, hash: string) =>
        ordersFile(
          key,
          orderIds.map((id): [string, number, string] => [id, 1, `${hash}-${id}`]),
        );
      const items = (key: string) =>
        itemsFile(
          key,
          orderIds.map((id): [string, string, string] => [`${id}-i`, id, 'p1']),
        );
      await register(productsFile('p.csv', ['p1']), T0);
      await register(items('i.csv'), T0);
      await register(version('a.csv', 'A'), T0);
      const racing = await Promise.all(
        ['B', 'C', 'D'].map((v) => register(version(`${v}.csv`, v), T0)),
      );
      // every order changed, so each was reported at least once; whichever row landed last
      // must be the version reported last: touching the order with identical content reports
      // nothing (a stale version reported last would be reported again here)
      expect(new Set(racing.flat().map((c) => c.orderId))).toEqual(new Set(orderIds));
      expect(await register(items('i-again.csv'), T0)).toEqual([]);
    });

    it('a landing registered again (same stagedKey) gets the answer of its first registration', async () => {
      await register(productsFile('p.csv', ['p1']), T0);
      await register(
        itemsFile('i.csv', [
          ['i1', 'o1', 'p1'],
          ['i2', 'o2', 'p1'],
        ]),
        T0,
      );
      const landing = ordersFile('o.csv', [
        ['o1', 1],
        ['o2', 1],
        ['o3', 2],
      ]);
      const first = await register(landing, T0);
      expect(ids(first)).toEqual(['o1', 'o2']);
      // e.g. a re-run after the process died between register and recording the group
      expect(await register(landing, T0 + 9)).toEqual(first);
      const racing = await Promise.all([register(landing, T0), register(landing, T0)]);
      expect(racing).toEqual([first, first]);
      // a different landing with the same rows still completes nothing new
      expect(
        await register({ ...landing, fileKey: 'copy.csv', stagedKey: 'staging/copy.parquet' }, T0),
      ).toEqual([]);
      expect(await index.completedCount()).toBe(2);
    });

    it('a products landing that completed orders, registered again, gets the same answer', async () => {
      await register(itemsFile('i.csv', [['i1', 'o1', 'p1']]), T0);
      await register(ordersFile('o.csv', [['o1', 1]]), T0);
      const landing = productsFile('p.csv', ['p1']);
      const first = await register(landing, T0);
      expect(ids(first)).toEqual(['o1']);
      // a re-run after the process died between recording the group and publishing it
      expect(await register(landing, T0 + 9)).toEqual(first);
      expect(await register(productsFile('p-copy.csv', ['p1']), T0)).toEqual([]);
    });

    it('says what each pending order lacks, sorted by order id', async () => {
      await register(
        itemsFile('i.csv', [
          ['i1', 'o2', 'p1'],
          ['i2', 'o2', 'p2'],
          ['i3', 'o3', 'p1'],
        ]),
        T0 + 1,
      );
      await register(
        ordersFile('o.csv', [
          ['o2', 3],
          ['o1', 2],
        ]),
        T0 + 2,
      );
      await register(productsFile('p.csv', ['p2']), T0 + 3);
      expect(await index.pending()).toEqual([
        {
          orderId: 'o1',
          hasOrderRow: true,
          expectedItems: 2,
          landedItems: 0,
          missingProducts: [],
          firstSeenAt: T0 + 2,
        },
        {
          orderId: 'o2',
          hasOrderRow: true,
          expectedItems: 3,
          landedItems: 2,
          missingProducts: ['p1'],
          firstSeenAt: T0 + 1,
        },
        {
          orderId: 'o3',
          hasOrderRow: false,
          expectedItems: null,
          landedItems: 1,
          missingProducts: ['p1'],
          firstSeenAt: T0 + 1,
        },
      ]);
      expect(await index.completedCount()).toBe(0);
    });

    it('a landed product completes the orders waiting for it, and serves later orders', async () => {
      await register(
        ordersFile('o.csv', [
          ['o1', 1],
          ['o2', 1],
          ['o3', 1],
        ]),
        T0,
      );
      await register(
        itemsFile('i.csv', [
          ['i1', 'o1', 'p1'],
          ['i2', 'o2', 'p1'],
          ['i3', 'o3', 'p2'],
        ]),
        T0,
      );
      expect(ids(await register(productsFile('p.csv', ['p1']), T0))).toEqual(['o1', 'o2']);
      await register(ordersFile('o4.csv', [['o4', 1]]), T0);
      expect(ids(await register(itemsFile('i4.csv', [['i4', 'o4', 'p1']]), T0))).toEqual(['o4']);
      expect((await index.pending()).map((p) => p.orderId)).toEqual(['o3']);
    });

    it('an order with more items than num_of_item is not complete', async () => {
      await register(productsFile('p.csv', ['p1']), T0);
      await register(ordersFile('o.csv', [['o1', 1]]), T0);
      expect(
        await register(
          itemsFile('i.csv', [
            ['i1', 'o1', 'p1'],
            ['i2', 'o1', 'p1'],
          ]),
          T0,
        ),
      ).toEqual([]);
      expect(await index.pending()).toMatchObject([
        { orderId: 'o1', expectedItems: 1, landedItems: 2 },
      ]);
    });

    it('an order complete again with the content last reported is not pending, and not reported', async () => {
      await register(productsFile('p.csv', ['p1']), T0);
      await register(ordersFile('o.csv', [['o1', 1]]), T0);
      expect(ids(await register(itemsFile('i1.csv', [['i1', 'o1', 'p1', 'h-a']]), T0))).toEqual([
        'o1',
      ]);
      // the item moves to another order: o1 lacks it
      await register(itemsFile('i2.csv', [['i1', 'o2', 'p1', 'h-b']]), T0);
      expect((await index.pending()).map((p) => p.orderId)).toEqual(['o1', 'o2']);
      expect(await index.filesWhollyCompleted(['o.csv'])).toEqual([]);
      // and back, as it was: o1 is complete with the content it was reported with
      expect(await register(itemsFile('i3.csv', [['i1', 'o1', 'p1', 'h-a']]), T0)).toEqual([]);
      expect((await index.pending()).map((p) => p.orderId)).toEqual(['o2']);
      expect(await index.filesWhollyCompleted(['o.csv', 'i3.csv'])).toEqual(['o.csv', 'i3.csv']);
    });

    it('names the files all of whose orders are complete, and product files once landed', async () => {
      await register(productsFile('p.csv', ['p1']), T0);
      await register(
        ordersFile('o.csv', [
          ['o1', 1],
          ['o2', 1],
        ]),
        T0,
      );
      await register(itemsFile('i1.csv', [['i1', 'o1', 'p1']]), T0);
      await register(itemsFile('i2.csv', [['i2', 'o2', 'p9']]), T0);
      const all = ['p.csv', 'o.csv', 'i1.csv', 'i2.csv', 'never-landed.csv'];
      expect(await index.filesWhollyCompleted(all)).toEqual(['p.csv', 'i1.csv']);
      await register(productsFile('p9.csv', ['p9']), T0);
      expect(await index.filesWhollyCompleted(all)).toEqual(['p.csv', 'o.csv', 'i1.csv', 'i2.csv']);
    });

    it('racing registrations never complete an order twice', async () => {
      const n = 30;
      const files: LandingKeys[] = [productsFile('p.csv', ['p1', 'p2'])];
      for (let o = 0; o < n; o++) {
        files.push(ordersFile(`o${o}.csv`, [[`o${o}`, 2]]));
        files.push(itemsFile(`a${o}.csv`, [[`o${o}-a`, `o${o}`, 'p1']]));
        files.push(itemsFile(`b${o}.csv`, [[`o${o}-b`, `o${o}`, 'p2']]));
        files.push(ordersFile(`dup${o}.csv`, [[`o${o}`, 2]])); // identical re-delivery
      }
      const results = await Promise.all(files.map((f, i) => register(f, T0 + i)));
      const all = results
        .flat()
        .map((c) => c.orderId)
        .sort();
      expect(all).toEqual(Array.from({ length: n }, (_, o) => `o${o}`).sort());
    });

    it('returns exactly what the completion decider decides, landing by landing (property)', async () => {
      await cleanup();
      await fc.assert(
        fc.asyncProperty(
          landingScenarios,
          fc.integer({ min: 1, max: 3 }),
          async (landings, split) => {
            const { port, cleanup: done } = await factory();
            try {
              let model = initialState();
              for (const [i, landing] of landings.entries()) {
                const events = decide({ type: 'LandRows', rows: landing, now: T0 + i }, model);
                model = evolveAll(model, events);
                const expected = events.flatMap((e) =>
                  e.type === 'OrderCompleted' ? [e.completion] : [],
                );
                // an index that takes keys batch by batch gets every other landing so, in batches
                // of `split` rows
                const got = completionsOf(
                  port.begin !== undefined && i % 2 === 1
                    ? await registerInBatches(port, landing, split, T0 + i)
                    : await port.register(landing, T0 + i),
                );
                // the whole completion (every row's location too), in any order
                const byOrder = (a: { orderId: string }, b: { orderId: string }) =>
                  a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0;
                expect([...got].sort(byOrder)).toEqual([...expected].sort(byOrder));
              }
              const pending = [...model.orders.keys()]
                .filter((id) => !isComplete(model, id))
                .sort();
              expect(await port.pending()).toEqual(pending.map((id) => lacksOf(model, id)));
            } finally {
              await done();
            }
          },
        ),
        { numRuns: 40 },
      );
      ({ port: index, cleanup } = await factory());
    });

    it('reset forgets every landing: registering them again completes the orders again', async () => {
      await register(productsFile('p.csv', ['p1']), T0);
      await register(itemsFile('i.csv', [['i1', 'o1', 'p1']]), T0);
      expect(ids(await register(ordersFile('o.csv', [['o1', 1]]), T0))).toEqual(['o1']);
      await index.reset();
      expect(await index.completedCount()).toBe(0);
      expect(await index.pending()).toEqual([]);
      await register(ordersFile('o.csv', [['o1', 1]]), T0);
      expect((await index.pending()).map((p) => p.orderId)).toEqual(['o1']);
    });
  });
}
