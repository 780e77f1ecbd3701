// What every ObjectStore adapter must do (in-memory, file system, S3): run by each adapter's spec.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidObjectKey,
  ObjectNotFound,
  type ObjectStore,
} from '../../src/ports/object-store.port.js';

export type ObjectStoreFactory = () => Promise<{ port: ObjectStore; cleanup: () => Promise<void> }>;

const text = (b: Uint8Array | null): string | null =>
  b === null ? null : Buffer.from(b).toString();

const collect = async (it: AsyncIterable<Uint8Array>): Promise<string> => {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts).toString();
};

export const INVALID_KEYS = [
  '',
  '../escape.txt',
  'incoming/../../escape.txt',
  'a/..',
  '/etc/passwd',
  'a\\b.csv',
  'nul\0byte.csv',
  'a//b.csv',
  './a.csv',
];

export function describeObjectStoreContract(adapterName: string, factory: ObjectStoreFactory) {
  describe(`ObjectStore contract: ${adapterName}`, () => {
    let store: ObjectStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ port: store, cleanup } = await factory());
    });
    afterEach(async () => cleanup());

    it('returns null for an absent key and the bytes after put', async () => {
      expect(await store.get('incoming/orders/a.csv')).toBeNull();
      await store.put('incoming/orders/a.csv', 'order_id\n1\n');
      expect(text(await store.get('incoming/orders/a.csv'))).toBe('order_id\n1\n');
    });

    it('stores binary bytes exactly and put overwrites', async () => {
      const bytes = new Uint8Array([0, 255, 1, 128, 10, 13]);
      await store.put('staging/x.parquet', bytes);
      expect(Array.from((await store.get('staging/x.parquet')) ?? [])).toEqual(Array.from(bytes));
      await store.put('staging/x.parquet', 'second');
      expect(text(await store.get('staging/x.parquet'))).toBe('second');
    });

    it('streams an object in chunks and throws ObjectNotFound for an absent one', async () => {
      const big = 'x'.repeat(300_000) + 'end';
      await store.put('big/file.csv', big);
      expect(await collect(store.getStream('big/file.csv'))).toBe(big);
      await expect(collect(store.getStream('big/none.csv'))).rejects.toBeInstanceOf(ObjectNotFound);
    });

    it('puts a streamed body chunk by chunk, and a failing stream leaves no object', async () => {
      async function* chunks(fail: boolean): AsyncIterable<Uint8Array> {
        for (let i = 0; i < 40; i++) yield new TextEncoder().encode(`${i}:${'y'.repeat(9_000)}\n`);
        if (fail) throw new Error('the source broke');
      }
      await store.put('incoming/streamed.csv', chunks(false));
      const text = await collect(store.getStream('incoming/streamed.csv'));
      expect(text.split('\n')).toHaveLength(41);
      expect(text.startsWith(`0:${'y'.repeat(9_000)}\n1:`)).toBe(true);
      await expect(store.put('incoming/broken.csv', chunks(true))).rejects.toThrow('broke');
      expect(await store.get('incoming/broken.csv')).toBeNull();
      expect((await store.list('incoming/')).map((o) => o.key)).toEqual(['incoming/streamed.csv']);
    });

    it('lists keys under a prefix, sorted ascending, with sizes', async () => {
      for (const k of ['b/2.csv', 'a/z.csv', 'a/b/c.csv', 'a/a.csv', 'ab.csv', 'c.csv']) {
        await store.put(k, k);
      }
      expect(await store.list('a/')).toEqual([
        { key: 'a/a.csv', size: 7 },
        { key: 'a/b/c.csv', size: 9 },
        { key: 'a/z.csv', size: 7 },
      ]);
      expect((await store.list('a')).map((o) => o.key)).toEqual([
        'a/a.csv',
        'a/b/c.csv',
        'a/z.csv',
        'ab.csv',
      ]);
      expect((await store.list('')).map((o) => o.key)).toEqual([
        'a/a.csv',
        'a/b/c.csv',
        'a/z.csv',
        'ab.csv',
        'b/2.csv',
        'c.csv',
      ]);
      expect(await store.list('nothing/')).toEqual([]);
    });

    it('copies an object (the source stays) and refuses to copy an absent one', async () => {
      await store.put('incoming/o.csv', 'abc');
      await store.copy('incoming/o.csv', 'archive/o.csv');
      expect(text(await store.get('archive/o.csv'))).toBe('abc');
      expect(text(await store.get('incoming/o.csv'))).toBe('abc');
      await expect(store.copy('incoming/none.csv', 'archive/none.csv')).rejects.toBeInstanceOf(
        ObjectNotFound,
      );
      expect(await store.get('archive/none.csv')).toBeNull();
    });

    it('deletes an object; deleting an absent key is not an error', async () => {
      await store.put('a/b.csv', '1');
      await store.delete('a/b.csv');
      expect(await store.get('a/b.csv')).toBeNull();
      expect(await store.list('a/')).toEqual([]);
      await expect(store.delete('a/b.csv')).resolves.toBeUndefined();
    });

    it('putIfAbsent writes once and never overwrites', async () => {
      expect(await store.putIfAbsent('locks/g1', 'first')).toBe(true);
      expect(await store.putIfAbsent('locks/g1', 'second')).toBe(false);
      expect(text(await store.get('locks/g1'))).toBe('first');
      await store.put('locks/g2', 'existing');
      expect(await store.putIfAbsent('locks/g2', 'new')).toBe(false);
      expect(text(await store.get('locks/g2'))).toBe('existing');
    });

    it('racing putIfAbsent calls have exactly one winner, whose body is stored', async () => {
      const bodies = Array.from({ length: 12 }, (_, i) => `body-${i}`);
      const results = await Promise.all(bodies.map((b) => store.putIfAbsent('race/key', b)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = bodies[results.indexOf(true)];
      expect(text(await store.get('race/key'))).toBe(winner);
      expect((await store.list('race/')).map((o) => o.key)).toEqual(['race/key']);
    });

    it('leaves no temporary objects visible after many writes', async () => {
      await Promise.all(Array.from({ length: 10 }, (_, i) => store.put('t/k', `v${i}`)));
      expect((await store.list('t/')).map((o) => o.key)).toEqual(['t/k']);
    });

    it.each(INVALID_KEYS)('refuses the invalid key %j with InvalidObjectKey', async (key) => {
      await expect(store.put(key, 'x')).rejects.toBeInstanceOf(InvalidObjectKey);
      await expect(store.putIfAbsent(key, 'x')).rejects.toBeInstanceOf(InvalidObjectKey);
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidObjectKey);
      await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidObjectKey);
      await expect(store.copy('a.csv', key)).rejects.toBeInstanceOf(InvalidObjectKey);
      await expect(collect(store.getStream(key))).rejects.toBeInstanceOf(InvalidObjectKey);
    });

    it('refuses list prefixes that climb out or are absolute', async () => {
      await expect(store.list('../')).rejects.toBeInstanceOf(InvalidObjectKey);
      await expect(store.list('/etc')).rejects.toBeInstanceOf(InvalidObjectKey);
      await expect(store.list('a/../')).rejects.toBeInstanceOf(InvalidObjectKey);
    });
  });
}
