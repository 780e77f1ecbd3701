// Collects, batch by batch, the keys a landed file registers with the reference index.
import type { ColumnBatch } from '../domain/columns.js';
import type { DatasetName } from '../domain/datasets.js';
import { numberColumn, stringColumn } from '../domain/group-data.js';
import { rowHashes } from '../domain/row-hashes.js';
import type { LandingKeys } from '../ports/reference-index.port.js';

export class LandingKeysBuilder {
  private readonly strings: Record<string, string[]> = {};
  private readonly numbers: Record<string, number[]> = {};
  private readonly hashes: string[] = [];

  constructor(private readonly dataset: DatasetName) {}

  /** rows: the rows of the batch that land (all of them unless some were quarantined) */
  add(batch: ColumnBatch, rows?: ReadonlySet<number>): void {
    const hashes = rowHashes(batch);
    const keep = (r: number): boolean => rows === undefined || rows.has(r);
    const str = (name: string): void => {
      const values = stringColumn(batch, name).values;
      const out = (this.strings[name] ??= []);
      for (let r = 0; r < batch.length; r++) if (keep(r)) out.push(values[r] ?? '');
    };
    const num = (name: string): void => {
      const c = numberColumn(batch, name);
      const out = (this.numbers[name] ??= []);
      for (let r = 0; r < batch.length; r++) {
        if (keep(r)) out.push(c.valid[r] === 1 ? (c.values[r] as number) : Number.NaN);
      }
    };
    for (let r = 0; r < batch.length; r++) if (keep(r)) this.hashes.push(hashes[r] as string);
    switch (this.dataset) {
      case 'orders':
        str('order_id');
        num('num_of_item');
        num('created_at');
        break;
      case 'order_items':
        str('id');
        str('order_id');
        str('product_id');
        break;
      case 'products':
        str('id');
        break;
    }
  }

  build(fileKey: string, stagedKey: string): LandingKeys {
    const s = (name: string): string[] => this.strings[name] ?? [];
    const n = (name: string): Float64Array => Float64Array.from(this.numbers[name] ?? []);
    const base = { fileKey, stagedKey, hashes: this.hashes };
    switch (this.dataset) {
      case 'orders':
        return {
          ...base,
          dataset: 'orders',
          orderIds: s('order_id'),
          numOfItems: n('num_of_item'),
          createdAt: n('created_at'),
        };
      case 'order_items':
        return {
          ...base,
          dataset: 'order_items',
          itemIds: s('id'),
          orderIds: s('order_id'),
          productIds: s('product_id'),
        };
      case 'products':
        return { ...base, dataset: 'products', productIds: s('id') };
    }
  }
}
