// What the sample shop sells and how each order looks: products and order plans derived from
// (seed, index) alone, so the orders and items streams regenerate the same order independently.
import { formatCents } from '../money.js';
import { csvLine, type ZoneStyle } from './sample-format.js';
import { int, mulberry32, pick, subSeed } from './sample-random.js';

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

interface ProductRow {
  readonly id: string;
  readonly retailCents: number;
}

export const productAt = (seed: number, i: number): ProductRow & { readonly line: string } => {
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

export interface OrderPlan {
  readonly orderId: string;
  readonly userId: string;
  readonly status: string;
  readonly createdAt: number;
  readonly zone: ZoneStyle;
  readonly items: readonly { readonly product: number; readonly minutes: number }[];
}

export const planOrder = (
  opts: Required<SampleShopOptions>,
  start: number,
  i: number,
): OrderPlan => {
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
export const milestones = (
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
