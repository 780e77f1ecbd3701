import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CompletionEvent,
  type CompletionState,
  type LandedRows,
  completionOf,
  decide,
  evolve,
  initialState,
  lacksOf,
} from '../../../src/domain/order-completion.decider.js';

type Unit =
  | { ds: 'orders'; id: string; n: number; hash: string }
  | { ds: 'order_items'; id: string; orderId: string; productId: string; hash: string }
  | { ds: 'products'; id: string; hash: string };

let fileSeq = 0;
const fileOf = (units: Unit[]): LandedRows => {
  const fileKey = `incoming/f${fileSeq++}.csv`;
  const base = {
    fileKey,
    stagedKey: `staging/${fileKey}.parquet`,
    hashes: units.map((u) => u.hash),
  };
  const first = units[0] as Unit;
  if (first.ds === 'orders') {
    const os = units as Extract<Unit, { ds: 'orders' }>[];
    return {
      ...base,
      dataset: 'orders',
      orderIds: os.map((u) => u.id),
      numOfItems: Float64Array.from(os.map((u) => u.n)),
      createdAt: Float64Array.from(os.map(() => Date.UTC(2024, 0, 1))),
    };
  }
  if (first.ds === 'order_items') {
    const is = units as Extract<Unit, { ds: 'order_items' }>[];
    return {
      ...base,
      dataset: 'order_items',
      itemIds: is.map((u) => u.id),
      orderIds: is.map((u) => u.orderId),
      productIds: is.map((u) => u.productId),
    };
  }
  return { ...base, dataset: 'products', productIds: units.map((u) => u.id) };
};

/** Consecutive units of one dataset form a file; a `true` split flag starts a new one. */
const toFiles = (units: Unit[], splits: boolean[]): LandedRows[] => {
  const files: Unit[][] = [];
  units.forEach((u, i) => {
    const last = files[files.length - 1];
    if (last === undefined || last[0]?.ds !== u.ds || splits[i % splits.length] === true) {
      files.push([u]);
    } else last.push(u);
  });
  return files.map(fileOf);
};

const land = (state: CompletionState, rows: LandedRows, now = 0) => {
  const events = decide({ type: 'LandRows', rows, now }, state);
  return { state: events.reduce(evolve, state), events };
};
const completions = (events: CompletionEvent[]) =>
  events.flatMap((e) => (e.type === 'OrderCompleted' ? [e.completion] : []));

const universe = fc
  .record({
    products: fc.integer({ min: 1, max: 5 }),
    orders: fc.array(
      fc.record({
        items: fc.array(fc.nat(4), { maxLength: 4 }),
        dropItem: fc.boolean(),
        dropProduct: fc.boolean(),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map(({ products, orders }) => {
    const units: Unit[] = [];
    const expectComplete = new Set<string>();
    const dropped = new Set<string>();
    orders.forEach((o, oi) => {
      const orderId = `o${oi}`;
      units.push({ ds: 'orders', id: orderId, n: o.items.length, hash: `h-${orderId}` });
      let ok = true;
      o.items.forEach((p, ii) => {
        const productId = `p${p % products}`;
        if (o.dropItem && ii === 0) ok = false;
        else
          units.push({
            ds: 'order_items',
            id: `${orderId}-i${ii}`,
            orderId,
            productId,
            hash: `h-${orderId}-${ii}`,
          });
        if (o.dropProduct && ii === 0) dropped.add(productId);
      });
      if (ok) expectComplete.add(orderId);
    });
    for (let p = 0; p < products; p++) {
      if (!dropped.has(`p${p}`)) units.push({ ds: 'products', id: `p${p}`, hash: `h-p${p}` });
    }
    // an order referencing a dropped product cannot complete
    for (const u of units) {
      if (u.ds === 'order_items' && dropped.has(u.productId)) expectComplete.delete(u.orderId);
    }
    return { units, expectComplete };
  });

const deliveries = universe.chain(({ units, expectComplete }) =>
  fc
    .record({
      dups: fc.array(fc.nat(units.length - 1), { maxLength: 6 }),
      splits: fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
    })
    .chain(({ dups, splits }) => {
      const all = [...units, ...dups.map((i) => units[i] as Unit)];
      return fc
        .shuffledSubarray(all, { minLength: all.length, maxLength: all.length })
        .map((order) => ({ files: toFiles(order, splits), expectComplete }));
    }),
);

describe('order completion decider', () => {
  it('reports each complete order exactly once while its content never changes, never before it is complete, in any arrival order', () => {
    fc.assert(
      fc.property(deliveries, ({ files, expectComplete }) => {
        let state = initialState();
        const seen = new Map<string, number>();
        const landedOrders = new Set<string>();
        const landedItems = new Map<string, Set<string>>();
        const landedProducts = new Set<string>();
        const itemProducts = new Map<string, string>();
        for (const file of files) {
          if (file.dataset === 'orders') file.orderIds.forEach((id) => landedOrders.add(id));
          if (file.dataset === 'products') file.productIds.forEach((id) => landedProducts.add(id));
          if (file.dataset === 'order_items') {
            file.itemIds.forEach((id, i) => {
              const o = file.orderIds[i] as string;
              landedItems.set(o, (landedItems.get(o) ?? new Set()).add(id));
              itemProducts.set(id, file.productIds[i] as string);
            });
          }
          const r = land(state, file);
          state = r.state;
          for (const c of completions(r.events)) {
            seen.set(c.orderId, (seen.get(c.orderId) ?? 0) + 1);
            expect(landedOrders.has(c.orderId)).toBe(true);
            const items = [...(landedItems.get(c.orderId) ?? [])];
            expect(c.items).toHaveLength(items.length);
            for (const i of items)
              expect(landedProducts.has(itemProducts.get(i) as string)).toBe(true);
          }
        }
        expect([...seen.keys()].sort()).toEqual([...expectComplete].sort());
        expect([...seen.values()].every((n) => n === 1)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('completes again once per changed content; an identical re-delivery reports nothing', () => {
    fc.assert(
      fc.property(
        deliveries,
        fc.array(fc.nat(), { maxLength: 5 }),
        ({ files, expectComplete }, picks) => {
          let state = files.reduce((s, f) => land(s, f).state, initialState());
          const complete = [...expectComplete];
          if (complete.length === 0) return;
          const changed = [...new Set(picks.map((p) => complete[p % complete.length] as string))];
          if (changed.length === 0) return;
          const before = new Map(changed.map((id) => [id, completionOf(state, id)?.fingerprint]));
          const change = fileOf(
            changed.map((id) => ({
              ds: 'orders',
              id,
              n: state.orders.get(id)?.row?.numOfItems ?? 0,
              hash: `v2-${id}`,
            })),
          );
          const r1 = land(state, change);
          state = r1.state;
          const again = completions(r1.events);
          expect(again.map((c) => c.orderId).sort()).toEqual([...changed].sort());
          for (const c of again) expect(c.fingerprint).not.toBe(before.get(c.orderId));
          expect(
            completions(land(state, { ...change, fileKey: 'incoming/copy.csv' }).events),
          ).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reports an order again exactly when its content differs from the last reported one (A, B, A)', () => {
    fc.assert(
      fc.property(
        deliveries,
        // (which complete order, which version of its row: 0 is the one delivered first)
        fc.array(fc.tuple(fc.nat(), fc.nat(2)), { maxLength: 12 }),
        ({ files, expectComplete }, changes) => {
          let state = files.reduce((s, f) => land(s, f).state, initialState());
          const complete = [...expectComplete];
          if (complete.length === 0) return;
          const current = new Map(complete.map((id) => [id, 0]));
          const fingerprints = new Map<string, string>();
          for (const [pick, version] of changes) {
            const id = complete[pick % complete.length] as string;
            const r = land(
              state,
              fileOf([
                {
                  ds: 'orders',
                  id,
                  n: state.orders.get(id)?.row?.numOfItems ?? 0,
                  hash: version === 0 ? `h-${id}` : `v${version}-${id}`,
                },
              ]),
            );
            state = r.state;
            const reported = completions(r.events);
            // a version differing from the last reported one is reported, even one seen before
            expect(reported.map((c) => c.orderId)).toEqual(current.get(id) === version ? [] : [id]);
            current.set(id, version);
            const fp = completionOf(state, id)?.fingerprint as string;
            for (const c of reported) expect(c.fingerprint).toBe(fp);
            // a version's fingerprint is its content's: back to A is A's fingerprint again
            const known = fingerprints.get(`${id}@${version}`);
            if (known !== undefined) expect(fp).toBe(known);
            fingerprints.set(`${id}@${version}`, fp);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  const orders = (ids: string[], n: number[], hashes = ids.map((i) => `h${i}`)): LandedRows => ({
    dataset: 'orders',
    fileKey: 'o.csv',
    stagedKey: 's/o.parquet',
    orderIds: ids,
    numOfItems: Float64Array.from(n),
    createdAt: Float64Array.from(n.map(() => 86_400_000)),
    hashes,
  });
  const items = (rows: [string, string, string][], hash = 'x'): LandedRows => ({
    dataset: 'order_items',
    fileKey: 'i.csv',
    stagedKey: 's/i.parquet',
    itemIds: rows.map((r) => r[0]),
    orderIds: rows.map((r) => r[1]),
    productIds: rows.map((r) => r[2]),
    hashes: rows.map((r) => `${hash}${r[0]}`),
  });
  const products = (ids: string[]): LandedRows => ({
    dataset: 'products',
    fileKey: 'p.csv',
    stagedKey: 's/p.parquet',
    productIds: ids,
    hashes: ids.map((i) => `h${i}`),
  });

  it('says what a pending order lacks', () => {
    let s = land(initialState(), items([['i1', 'o1', 'p1']]), 5).state;
    expect(lacksOf(s, 'o1')).toEqual({
      orderId: 'o1',
      hasOrderRow: false,
      expectedItems: null,
      landedItems: 1,
      missingProducts: ['p1'],
      firstSeenAt: 5,
    });
    s = land(s, orders(['o1'], [2]), 9).state;
    expect(lacksOf(s, 'o1')).toMatchObject({
      hasOrderRow: true,
      expectedItems: 2,
      landedItems: 1,
      firstSeenAt: 5,
    });
  });

  it('completes an order with zero items on its row alone, and never one whose num_of_item is null', () => {
    const r = land(initialState(), orders(['o0', 'oNull'], [0, NaN]));
    expect(completions(r.events).map((c) => c.orderId)).toEqual(['o0']);
    expect(lacksOf(r.state, 'oNull')?.expectedItems).toBeNull();
  });

  it('an item re-delivered under another order leaves the first one', () => {
    let s = land(initialState(), products(['p1'])).state;
    s = land(s, orders(['a', 'b'], [1, 1])).state;
    const r1 = land(s, items([['i1', 'a', 'p1']]));
    expect(completions(r1.events).map((c) => c.orderId)).toEqual(['a']);
    const r2 = land(r1.state, items([['i1', 'b', 'p1']], 'y'));
    expect(completions(r2.events).map((c) => c.orderId)).toEqual(['b']);
    expect(lacksOf(r2.state, 'a')?.landedItems).toBe(0);
    expect(completionOf(r2.state, 'a')).toBeNull();
  });

  it('a completion names the rows and products sorted, with a content fingerprint', () => {
    let s = land(initialState(), orders(['o1'], [2])).state;
    s = land(s, products(['p2', 'p1'])).state;
    const c = completions(
      land(
        s,
        items([
          ['i2', 'o1', 'p2'],
          ['i1', 'o1', 'p1'],
        ]),
      ).events,
    )[0];
    expect(c?.items.map((i) => i.hash)).toEqual(['xi1', 'xi2']);
    expect(c?.products.map((p) => p.hash)).toEqual(['hp1', 'hp2']);
    expect(c?.order).toEqual({ key: 'o.csv', stagedKey: 's/o.parquet', hash: 'ho1' });
    expect(c?.createdAt).toBe(86_400_000);
    expect(c?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });
});
