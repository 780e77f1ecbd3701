// Builds typed ColumnBatches from small row literals for the domain tests.
import type { Column, ColumnBatch } from '../../../src/domain/columns.js';
import { SCHEMAS, type DatasetName } from '../../../src/domain/datasets.js';
import type { SourcedBatch } from '../../../src/domain/group-data.js';

export type Cell = string | number | null;
export type RowLiteral = Readonly<Record<string, Cell>>;

export const batchOf = (
  dataset: DatasetName,
  rows: readonly RowLiteral[],
  firstLine = 2,
): ColumnBatch => {
  const columns: Record<string, Column> = {};
  for (const spec of SCHEMAS[dataset].columns) {
    if (spec.type === 'string') {
      columns[spec.name] = {
        type: 'string',
        values: rows.map((r) => {
          const v = r[spec.name] ?? null;
          return v === null ? null : String(v);
        }),
      };
    } else {
      const values = new Float64Array(rows.length);
      const valid = new Uint8Array(rows.length);
      rows.forEach((r, i) => {
        const v = r[spec.name] ?? null;
        if (typeof v === 'number') {
          values[i] = v;
          valid[i] = 1;
        }
      });
      columns[spec.name] = { type: spec.type, values, valid };
    }
  }
  const lines = Uint32Array.from(rows, (_, i) => firstLine + i);
  return { dataset, length: rows.length, columns, lines };
};

export const sourced = (
  file: string,
  dataset: DatasetName,
  rows: readonly RowLiteral[],
): SourcedBatch => ({
  file,
  batch: batchOf(dataset, rows),
});

export const ms = (iso: string): number => Date.parse(iso);

export const order = (
  id: string,
  user: string,
  status: string,
  createdAt: string,
  numOfItem: number,
): RowLiteral => ({
  order_id: id,
  user_id: user,
  status,
  created_at: ms(createdAt),
  num_of_item: numOfItem,
});

export const item = (
  id: string,
  orderId: string,
  user: string,
  productId: string,
  cents: number,
): RowLiteral => ({
  id,
  order_id: orderId,
  user_id: user,
  product_id: productId,
  status: 'delivered',
  sale_price: cents,
});

export const product = (id: string, category: string | null): RowLiteral => ({
  id,
  sku: `SKU-${id}`,
  category,
  name: `Product ${id}`,
  brand: 'Acme',
  cost: 100,
  retail_price: 200,
});
