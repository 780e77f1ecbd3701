// The manifest reader gives the same decoded value for the same bytes while that value is in use
// (so Validate's selection of staged rows serves Transform), and decodes anew when the bytes
// differ, the manifest is gone, or it names another group.
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../../../src/application/group-manifest-reader.js';
import { completionColumnsOf } from '../../../src/domain/completion-columns.js';
import { encodeManifest, type GroupManifest } from '../../../src/domain/group-manifest.codec.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';

const manifestOf = (groupId: string, hash: string): GroupManifest => ({
  groupId,
  fileKey: 'incoming/order_items/i.csv',
  completions: completionColumnsOf([
    {
      orderId: '1',
      fingerprint: 'f',
      createdAt: 0,
      order: { key: 'incoming/orders/o.csv', stagedKey: 'staging/orders/a.parquet', hash: 'h' },
      items: [
        { key: 'incoming/order_items/i.csv', stagedKey: 'staging/order_items/b.parquet', hash },
      ],
      products: [],
    },
  ]),
});

const read = async (objects: InMemoryObjectStore, key: string, groupId: string) => {
  const result = await readManifest(objects, key, groupId);
  if (!isRight(result)) throw new Error(result.left.message);
  return result.right;
};

describe('readManifest', () => {
  it('answers the same bytes with the same value, and changed bytes with a new one', async () => {
    const objects = new InMemoryObjectStore();
    const key = 'groups/g1/manifest.json';
    await objects.put(key, encodeManifest(manifestOf('g1', 'i1')));
    const first = await read(objects, key, 'g1');
    expect(await read(objects, key, 'g1')).toBe(first);

    await objects.put(key, encodeManifest(manifestOf('g1', 'i2')));
    const rewritten = await read(objects, key, 'g1');
    expect(rewritten).not.toBe(first);
    expect(rewritten.completions.items.hash).toEqual(['i2']);
  });

  it('still reports a manifest gone or naming another group', async () => {
    const objects = new InMemoryObjectStore();
    const key = 'groups/g2/manifest.json';
    await objects.put(key, encodeManifest(manifestOf('g2', 'i1')));
    const held = await read(objects, key, 'g2');
    const other = await readManifest(objects, key, 'g3');
    expect(isLeft(other) && other.left._tag).toBe('ManifestInvalid');
    await objects.delete(key);
    const gone = await readManifest(objects, key, 'g2');
    expect(isLeft(gone) && gone.left._tag).toBe('ManifestMissing');
    expect(held.groupId).toBe('g2');
  });
});
