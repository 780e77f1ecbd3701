// A landing reads its manifest's revision right after the put (where the store tells one), so this
// process's Validate takes the landing's value without reading the bytes back; a write after the
// landing moves the revision, and the bytes are read again.
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import { readManifest } from '../../../src/application/group-manifest-reader.js';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import { completionsOf } from '../../../src/domain/completion-columns.js';
import { encodeManifest, manifestKeyFor } from '../../../src/domain/group-manifest.codec.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { OBJECT_STORE, type ObjectBody } from '../../../src/ports/object-store.port.js';

const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS_H =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
const PRODUCTS_H = 'id,sku,cost,category,name,brand,retail_price,department';

/** a store with revisions (each put makes a new one) that counts the manifests' streamed reads */
class RevisedStore extends InMemoryObjectStore {
  manifestReads = 0;
  private puts = 0;
  private readonly revisions = new Map<string, string>();

  override async put(key: string, body: ObjectBody): Promise<void> {
    await super.put(key, body);
    this.revisions.set(key, `r${++this.puts}`);
  }

  async revision(key: string): Promise<string | null> {
    return (await this.get(key)) === null ? null : (this.revisions.get(key) ?? null);
  }

  override async *getStream(key: string): AsyncIterable<Uint8Array> {
    if (key.startsWith('groups/')) this.manifestReads++;
    yield* super.getStream(key);
  }
}

describe("LandFile records its manifest's revision", () => {
  it('lets the read after the landing take its value unread, until the object changes', async () => {
    const container = buildInMemoryContainer();
    const objects = new RevisedStore();
    container.rebind(OBJECT_STORE).toConstantValue(objects);
    const land = container.get<LandFile>(TOKENS.LandFile);
    const put = async (key: string, ...lines: string[]) => {
      await objects.put(key, lines.join('\n'));
      return land.execute(key);
    };
    await put('incoming/products/p.csv', PRODUCTS_H, 'p1,S,1.00,Toys,Ball,Acme,2.00,Kids');
    await put('incoming/orders/o.csv', ORDERS_H, '1,u1,delivered,2025-03-01T00:00:00,,,,1');
    const out = await put('incoming/order_items/i.csv', ITEMS_H, 'i1,1,u1,p1,delivered,,,,,3.50');
    const groupId = isRight(out) ? (out.right.groups[0]?.groupId ?? '') : '';
    expect(groupId).not.toBe('');
    const key = manifestKeyFor(groupId);
    const reads = objects.manifestReads;

    const first = await readManifest(objects, key, groupId);
    expect(isRight(first)).toBe(true);
    // taken at the revision the landing read after its put: not streamed, not hashed
    expect(objects.manifestReads).toBe(reads);

    // rewritten (the same value in the array form): the revision moved, so the bytes are read
    if (!isRight(first)) return;
    await objects.put(key, encodeManifest(first.right));
    const again = await readManifest(objects, key, groupId);
    expect(objects.manifestReads).toBeGreaterThan(reads);
    expect(isRight(again) && completionsOf(again.right.completions)).toEqual(
      completionsOf(first.right.completions),
    );
  });
});
