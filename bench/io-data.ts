// Benchmark input: ~1,000,000 order_items rows (and their orders and products) from the
// deterministic sample shop, written once under .bench/ (gitignored) and reused.
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { sampleShop } from '../src/domain/sample/sample-shop.js';

export const BENCH_DIR = join(process.cwd(), '.bench');
/** ~2.5 items per order in the sample shop: this many orders give just over 1M items */
const ORDERS = 401_000;
const SEED = 42;

export const benchFile = (dataset: 'orders' | 'order_items' | 'products'): string =>
  join(BENCH_DIR, `${dataset}.csv`);

async function writeLines(path: string, lines: Iterable<string>): Promise<number> {
  const out = createWriteStream(path);
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
  return rows;
}

export async function ensureBenchData(): Promise<void> {
  if (existsSync(benchFile('order_items')) && statSync(benchFile('order_items')).size > 0) return;
  mkdirSync(BENCH_DIR, { recursive: true });
  const shop = sampleShop({ orders: ORDERS, seed: SEED, products: 10_000 });
  const t = performance.now();
  const items = await writeLines(benchFile('order_items'), shop.orderItems);
  const orders = await writeLines(benchFile('orders'), shop.orders);
  const products = await writeLines(benchFile('products'), shop.products);
  console.log(
    `generated ${items} order_items, ${orders} orders, ${products} products in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}
