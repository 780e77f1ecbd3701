// The demo's sample delivery: H1's deterministic sample shop cut into files the way a shop
// export arrives (orders in parts, items in parts whose cuts split some orders across two
// files, one products file), in a seeded shuffled landing order.
import type { DatasetName } from '../domain/datasets.js';
import { mulberry32, sampleShop } from '../domain/sample/sample-shop.js';

export interface SampleFile {
  /** relative path: <dataset folder>/<name>.csv, or products.csv */
  readonly path: string;
  readonly dataset: DatasetName;
  readonly text: string;
}

const chunks = (lines: readonly string[], parts: number): string[][] => {
  const [header, ...rows] = lines;
  const size = Math.max(1, Math.ceil(rows.length / parts));
  const out: string[][] = [];
  for (let i = 0; i < rows.length; i += size)
    out.push([header as string, ...rows.slice(i, i + size)]);
  return out;
};

const toText = (lines: readonly string[]): string => `${lines.join('\n')}\n`;

export const sampleFiles = (options: { orders: number; seed: number }): SampleFile[] => {
  const shop = sampleShop({ orders: options.orders, seed: options.seed });
  const orderParts = chunks([...shop.orders], 3);
  // cut points fall inside orders' item runs, so some orders have items in two files
  const itemParts = chunks([...shop.orderItems], 4);
  return [
    { path: 'products.csv', dataset: 'products', text: toText([...shop.products]) },
    ...orderParts.map((lines, i): SampleFile => ({
      path: `orders/orders_part${i + 1}.csv`,
      dataset: 'orders',
      text: toText(lines),
    })),
    ...itemParts.map((lines, i): SampleFile => ({
      path: `order_items/order_items_part${i + 1}.csv`,
      dataset: 'order_items',
      text: toText(lines),
    })),
  ];
};

/** Fisher-Yates with the seeded generator: the same seed lands the files in the same order */
export const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  const random = mulberry32(seed ^ 0x5eed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};
