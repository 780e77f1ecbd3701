// Benchmark input from the deterministic sample shop, written once under .bench/ (gitignored)
// and reused: the default ~1,000,000 order_items rows (and their orders and products) at the
// top of .bench/, other sizes under .bench/items-<N>/.
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { sampleShop } from '../src/domain/sample/sample-shop.js';

export const BENCH_DIR = join(process.cwd(), '.bench');
/** ~2.5 items per order in the sample shop: this many orders give just over 1M items */
const ORDERS = 401_000;
const ITEMS_PER_ORDER = 1_002_831 / ORDERS;
const SEED = 42;
export const DEFAULT_ITEMS = 1_000_000;

export type BenchDataset = 'orders' | 'order_items' | 'products';

const dirFor = (items: number): string =>
  items === DEFAULT_ITEMS ? BENCH_DIR : join(BENCH_DIR, `items-${items}`);
const ordersFor = (items: number): number =>
  items === DEFAULT_ITEMS ? ORDERS : Math.max(1, Math.round(items / ITEMS_PER_ORDER));

export const benchFile = (dataset: BenchDataset, items = DEFAULT_ITEMS): string =>
  join(dirFor(items), `${dataset}.csv`);

async function writeLines(path: string, lines: Iterable<string>): Promise<number> {
  // written beside and renamed: an interrupted generation never looks like cached data
  const out = createWriteStream(`${path}.part`);
  let buffer: string[] = [];
  let rows = -1; // the header is not a row
  for (const line of lines) {
    buffer.push(line);
    rows++;
    if (buffer.length === 10_000) {
      if (!out.write(`${buffer.join('\n')}\n`)) await once(out, 'drain');
      buffer = [];
    }
  }
  if (buffer.length > 0) out.write(`${buffer.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
  renameSync(`${path}.part`, path);
  return rows;
}

/** the shop of about `items` order items (the 1M default: 1,002,831), generated when absent */
export async function ensureBenchData(items = DEFAULT_ITEMS): Promise<void> {
  const all: BenchDataset[] = ['order_items', 'orders', 'products'];
  if (all.every((d) => existsSync(benchFile(d, items)) && statSync(benchFile(d, items)).size > 0))
    return;
  mkdirSync(dirFor(items), { recursive: true });
  const shop = sampleShop({ orders: ordersFor(items), seed: SEED, products: 10_000 });
  const t = performance.now();
  const nItems = await writeLines(benchFile('order_items', items), shop.orderItems);
  const orders = await writeLines(benchFile('orders', items), shop.orders);
  const products = await writeLines(benchFile('products', items), shop.products);
  console.error(
    `generated ${nItems} order_items, ${orders} orders, ${products} products in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}
