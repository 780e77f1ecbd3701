// A deterministic, TheLook-like sample shop. Pure: randomness comes from a seeded PRNG and
// every order is generated from (seed, order index) alone, so the orders and the items streams
// can be produced independently and lazily, and agree with each other, for any size.
import { SCHEMAS, type DatasetName } from '../datasets.js';
import { formatCents } from '../money.js';
import { csvLine, formatTimestamp, type ZoneStyle } from './sample-format.js';
import { milestones, planOrder, productAt, type SampleShopOptions } from './sample-plan.js';
import { mulberry32, subSeed } from './sample-random.js';

export { SAMPLE_CATEGORIES, type SampleShopOptions } from './sample-plan.js';
export { mulberry32 };

export interface SampleShop {
  readonly products: Iterable<string>;
  readonly orders: Iterable<string>;
  readonly orderItems: Iterable<string>;
}

const resolve = (o: SampleShopOptions): Required<SampleShopOptions> => ({
  orders: Math.max(0, Math.floor(o.orders)),
  seed: o.seed >>> 0,
  products: Math.max(1, Math.floor(o.products ?? Math.max(20, Math.min(500, o.orders)))),
  startDate: o.startDate ?? '2025-03-01',
  days: Math.max(1, Math.floor(o.days ?? 7)),
});

const iterable = (gen: () => Generator<string>): Iterable<string> => ({
  [Symbol.iterator]: gen,
});

const header = (dataset: DatasetName): string =>
  SCHEMAS[dataset].columns.map((c) => c.name).join(',');

export const sampleShop = (options: SampleShopOptions): SampleShop => {
  const opts = resolve(options);
  const start = Date.parse(`${opts.startDate}T00:00:00Z`);
  if (Number.isNaN(start)) throw new Error(`startDate must be YYYY-MM-DD: ${opts.startDate}`);
  const ts = (ms: number | null, zone: ZoneStyle): string | null =>
    ms === null ? null : formatTimestamp(ms, zone);

  return {
    products: iterable(function* () {
      yield header('products');
      for (let i = 0; i < opts.products; i++) yield productAt(opts.seed, i).line;
    }),
    orders: iterable(function* () {
      yield header('orders');
      for (let i = 0; i < opts.orders; i++) {
        const o = planOrder(opts, start, i);
        const [shipped, delivered, returned] = milestones(o.status, o.createdAt);
        yield csvLine([
          o.orderId,
          o.userId,
          o.status,
          ts(o.createdAt, o.zone),
          ts(returned, o.zone),
          ts(shipped, o.zone),
          ts(delivered, o.zone),
          String(o.items.length),
        ]);
      }
    }),
    orderItems: iterable(function* () {
      yield header('order_items');
      let itemId = 0;
      for (let i = 0; i < opts.orders; i++) {
        const o = planOrder(opts, start, i);
        for (const it of o.items) {
          itemId++;
          const p = productAt(opts.seed, it.product);
          const rnd = mulberry32(subSeed(opts.seed, 4, itemId));
          // a discount on some items, never below one cent
          const sale = rnd() < 0.3 ? Math.max(1, Math.round(p.retailCents * 0.8)) : p.retailCents;
          const created = o.createdAt + it.minutes * 60_000;
          const [shipped, delivered, returned] = milestones(o.status, created);
          yield csvLine([
            String(itemId),
            o.orderId,
            o.userId,
            p.id,
            o.status,
            ts(created, 'none'),
            ts(shipped, 'none'),
            ts(delivered, 'none'),
            ts(returned, 'none'),
            formatCents(sale),
          ]);
        }
      }
    }),
  };
};
