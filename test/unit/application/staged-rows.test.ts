// StagedRows keeps a decoded copy of each staged file while a group is between Validate and
// Transform, and forgets it on release (so a long-running process does not keep every file).
import { completionsOf } from '../../../src/domain/completion-columns.js';
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import { readManifest } from '../../../src/application/group-manifest-reader.js';
import type { StagedRows } from '../../../src/application/staged-rows.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { OBJECT_STORE, type ObjectStore } from '../../../src/ports/object-store.port.js';

describe('StagedRows', () => {
  it('reads each staged file once while cached, and again after release', async () => {
    const container = buildInMemoryContainer({});
    const objects = container.get<ObjectStore>(OBJECT_STORE);
    const land = container.get<LandFile>(TOKENS.LandFile);
    const put = async (key: string, ...lines: string[]) => {
      await objects.put(key, lines.join('\n'));
      return land.execute(key);
    };
    await put(
      'incoming/products/p.csv',
      'id,sku,cost,category,name,brand,retail_price,department',
      'p1,S,1.00,Toys,Ball,Acme,2.00,Kids',
    );
    await put(
      'incoming/orders/o.csv',
      'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item',
      '1,u1,delivered,2025-03-01T00:00:00,,,,1',
    );
    const landed = await put(
      'incoming/order_items/i.csv',
      'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price',
      'i1,1,u1,p1,delivered,,,,,3.50',
    );
    const groupId = isRight(landed) ? (landed.right.groups[0]?.groupId ?? '') : '';
    const manifest = await readManifest(objects, `groups/${groupId}/manifest.json`, groupId);
    if (!isRight(manifest)) throw new Error('no manifest');
    const orders = completionsOf(manifest.right.completions);

    const staged = container.get<StagedRows>(TOKENS.StagedRows);
    const reads: string[] = [];
    const get = objects.get.bind(objects);
    objects.get = (key: string) => {
      if (key.startsWith('staging/')) reads.push(key);
      return get(key);
    };
    const first = await staged.load(orders);
    const second = await staged.load(orders);
    expect(reads).toHaveLength(3); // orders, items, products: once each
    expect(second).toEqual(first);
    expect(first.items[0]?.batch.length).toBe(1);
    staged.release(orders);
    expect(await staged.load(orders)).toEqual(first);
    expect(reads).toHaveLength(6);
  });
});
