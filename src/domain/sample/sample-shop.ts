// A deterministic, TheLook-like sample shop. Pure: randomness comes from a seeded PRNG and
// every order is generated from (seed, order index) alone, so the orders and the items streams
// can be produced independently and lazily, and agree with each other, for any size.
import { SCHEMAS, type DatasetName } from '../datasets.js';
import { csvLine, formatCents, formatTimestamp, type ZoneStyle } from './sample-format.js';

export interface SampleShopOptions {
  readonly orders: number;
  readonly seed: number;
  /** default: max(20, min(500, orders)) */
  readonly products?: number;
  /** YYYY-MM-DD (UTC), default 2025-03-01 */
  readonly startDate?: string;
  /** default 7 */
  readonly days?: number;
}

export interface SampleShop {
  readonly products: Iterable<string>;
  readonly orders: Iterable<string>;
  readonly orderItems: Iterable<string>;
}

export const SAMPLE_CATEGORIES: readonly (readonly [category: string, department: string])[] = [
  ['Beauty', 'Personal Care'],
  ['Sports', 'Outdoors'],
  ['Home & Kitchen', 'Home'],
  ['Clothing', 'Fashion'],
  ['Electronics', 'Tech'],
  ['Toys', 'Kids'],
  ['Books', 'Media'],
  ['Shoes, Bags', 'Fashion'],
];
const BRANDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Soylent', 'Stark', 'Wonka'];
const ADJECTIVES = ['Classic', 'Compact', 'Deluxe', 'Eco', 'Smart', '"Pro"', 'Mini, Plus'];
const NOUNS = ['Kit', 'Set', 'Lamp', 'Jacket', 'Speaker', 'Novel', 'Ball', 'Cream'];
/** weights per mille, TheLook-like: most orders delivered or shipped */
const STATUSES: readonly (readonly [string, number])[] = [
  ['delivered', 450],
  ['shipped', 200],
  ['processing', 120],
  ['returned', 130],
  ['cancelled', 100],
];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** mulberry32: small, fast, good enough for sample data */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** a well-mixed 32-bit seed for entity `index` of stream `salt` */
const subSeed = (seed: number, salt: number, index: number): number => {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (index >>> 0), 0x27d4eb2d) ^ Math.floor(index / 4294967296);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
};

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const int = (rnd: () => number, lo: number, hi: number): number =>
  lo + Math.floor(rnd() * (hi - lo + 1));

interface ProductRow {
  readonly id: string;
  readonly retailCents: number;
}

const productAt = (seed: number, i: number): ProductRow & { readonly line: string } => {
  const rnd = mulberry32(subSeed(seed, 1, i));
  const [category, department] = pick(rnd, SAMPLE_CATEGORIES);
  const retailCents = int(rnd, 199, 24_999);
  const costCents = Math.round(retailCents * (0.3 + rnd() * 0.4));
  const sku = `SKU-${(subSeed(seed, 2, i) % 100_000_000).toString().padStart(8, '0')}`;
  const name = `${pick(rnd, ADJECTIVES)} ${pick(rnd, NOUNS)} ${i + 1}`;
  const id = String(i + 1);
  const line = csvLine([
    id,
    sku,
    formatCents(costCents),
    category,
    name,
    pick(rnd, BRANDS),
    formatCents(retailCents),
    department,
  ]);
  return { id, retailCents, line };
};

interface OrderPlan {
  readonly orderId: string;
  readonly userId: string;
  readonly status: string;
  readonly createdAt: number;
  readonly zone: ZoneStyle;
  readonly items: readonly { readonly product: number; readonly minutes: number }[];
}

const planOrder = (opts: Required<SampleShopOptions>, start: number, i: number): OrderPlan => {
  const rnd = mulberry32(subSeed(opts.seed, 3, i));
  const users = Math.max(10, Math.ceil(opts.orders / 3));
  let roll = rnd() * 1000;
  let status = 'delivered';
  for (const [s, w] of STATUSES) {
    if (roll < w) {
      status = s;
      break;
    }
    roll -= w;
  }
  const zoneRoll = rnd();
  // One order in five is written with a zone; those sit near midnight UTC so the local date
  // printed in the file differs from the UTC order date the KPIs must use.
  const zone: ZoneStyle =
    zoneRoll < 0.8 ? 'none' : pick(rnd, ['Z', '+02:00', '-05:00', '+0530', 'UTC']);
  const day = int(rnd, 0, opts.days - 1);
  const secondOfDay =
    zone === '+02:00' || zone === '+0530'
      ? int(rnd, 22 * 3600, 24 * 3600 - 1)
      : zone === '-05:00'
        ? int(rnd, 0, 2 * 3600 - 1)
        : int(rnd, 0, 24 * 3600 - 1);
  const count = int(rnd, 1, 4);
  const items = Array.from({ length: count }, () => ({
    product: int(rnd, 0, opts.products - 1),
    minutes: int(rnd, 0, 30),
  }));
  return {
    orderId: String(i + 1),
    userId: String(int(rnd, 1, users)),
    status,
    createdAt: start + day * DAY + secondOfDay * 1000,
    zone,
    items,
  };
};

/** shipped/delivered/returned timestamps implied by a status, hours after creation */
const milestones = (
  status: string,
  createdAt: number,
): readonly [shipped: number | null, delivered: number | null, returned: number | null] => {
  const shipped = createdAt + 20 * HOUR;
  const delivered = createdAt + 60 * HOUR;
  const returned = createdAt + 150 * HOUR;
  switch (status) {
    case 'shipped':
      return [shipped, null, null];
    case 'delivered':
      return [shipped, delivered, null];
    case 'returned':
      return [shipped, delivered, returned];
    default:
      return [null, null, null];
  }
};

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
