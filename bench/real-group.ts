// The bench shop's real group as fact columns (the CSVs of `dir` joined as the pipeline joins
// them: items in file order, the order's customer, lower-case status and time, the product's
// category, cents), for the focused benches of the Transform's writes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FactColumnsBuilder, type FactColumns } from '../src/domain/kpi/fact-columns.js';

export const realGroup = (dir: string): { orderIds: string[]; facts: FactColumns } => {
  const lines = (file: string): string[] =>
    readFileSync(join(dir, file), 'latin1')
      .split('\n')
      .slice(1)
      .filter((l) => l !== '');
  const categories = new Map<string, string | null>();
  for (const l of lines('products.csv')) {
    const c = l.split(',');
    categories.set(c[0] as string, c[3] === '' ? null : (c[3] as string));
  }
  const orders = new Map<string, [string, string, number]>();
  const orderIds: string[] = [];
  for (const l of lines('orders.csv')) {
    const c = l.split(',');
    const at = c[3] as string;
    orders.set(c[0] as string, [
      c[1] as string,
      (c[2] as string).toLowerCase(),
      Date.parse(/(Z|[+-]\d\d:\d\d)$/.test(at) ? at : `${at}Z`),
    ]);
    orderIds.push(c[0] as string);
  }
  const items = lines('order_items.csv');
  const builder = new FactColumnsBuilder(items.length);
  for (const l of items) {
    const c = l.split(',');
    const order = orders.get(c[1] as string);
    if (order === undefined || Number.isNaN(order[2])) continue;
    const product = c[3] as string;
    builder.push(
      c[0] as string,
      c[1] as string,
      order[0],
      order[1],
      order[2],
      product,
      categories.get(product) ?? null,
      Math.round(Number(c[9]) * 100),
    );
  }
  return { orderIds, facts: builder.build() };
};
