import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSystemObjectStore } from '../../src/adapters/filesystem/filesystem-object-store.js';
import { InvalidObjectKey, ObjectNotFound } from '../../src/ports/object-store.port.js';
import { describeObjectStoreContract, INVALID_KEYS } from './object-store.contract.js';

describeObjectStoreContract('filesystem', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fs-store-'));
  return {
    port: new FileSystemObjectStore(join(dir, 'bucket')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

// every key gzip'd on disk: the store must still behave exactly like any other
describeObjectStoreContract('filesystem, every object gzip-compressed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fs-store-gz-'));
  return {
    port: new FileSystemObjectStore(join(dir, 'bucket'), { gzipped: [''] }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('FileSystemObjectStore, gzip-compressed prefixes', () => {
  it('stores archive/ gzip-compressed, copies into it, and reads back the same bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fs-store-gz-'));
    try {
      const store = new FileSystemObjectStore(join(dir, 'bucket'), { gzipped: ['archive/'] });
      const csv = `id,order_id\n${Array.from({ length: 5000 }, (_, i) => `${i},${i % 7}`).join('\n')}\n`;
      await store.put('incoming/i.csv', csv);
      await store.copy('incoming/i.csv', 'archive/i.csv');
      const onDisk = await readFile(join(dir, 'bucket', 'archive', 'i.csv'));
      expect([onDisk[0], onDisk[1]]).toEqual([0x1f, 0x8b]); // the gzip magic
      expect(onDisk.length).toBeLessThan(csv.length / 2);
      expect(Buffer.from((await store.get('archive/i.csv')) ?? []).toString()).toBe(csv);
      // and out again (e.g. a file restored from the archive), plain on disk
      await store.copy('archive/i.csv', 'incoming/back.csv');
      expect((await readFile(join(dir, 'bucket', 'incoming', 'back.csv'))).toString()).toBe(csv);
      await expect(store.copy('incoming/none.csv', 'archive/none.csv')).rejects.toBeInstanceOf(
        ObjectNotFound,
      );
      expect(await store.list('archive/')).toEqual([{ key: 'archive/i.csv', size: csv.length }]);
      // a file an older version archived plain still reads as it is
      await writeFile(join(dir, 'bucket', 'archive', 'old.csv'), 'id\n1\n');
      expect(Buffer.from((await store.get('archive/old.csv')) ?? []).toString()).toBe('id\n1\n');
      expect((await store.list('archive/o'))[0]?.size).toBe(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

it('a gzip-compressed text longer than one encoded slice reads back exactly', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fs-store-gz-'));
  try {
    const store = new FileSystemObjectStore(join(dir, 'bucket'), { gzipped: ['groups/'] });
    // an emoji (a surrogate pair) across the 1M-code-unit slice boundary
    const text = `${'a'.repeat((1 << 20) - 1)}\u{1F600}${'b'.repeat(500_000)}`;
    await store.put('groups/g/manifest.json', text);
    const back = Buffer.from((await store.get('groups/g/manifest.json')) ?? []).toString();
    expect(back === text).toBe(true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('a huffmanOnly prefix is gzip-compressed by Huffman coding alone and reads back exactly', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fs-store-gz-'));
  try {
    const store = new FileSystemObjectStore(join(dir, 'bucket'), {
      gzipped: ['groups/', 'archive/'],
      huffmanOnly: ['groups/'],
    });
    // repeated text: string matching shrinks it ~100x, Huffman coding alone ~2x at best
    const text = 'abcdefgh'.repeat(50_000);
    await store.put('groups/g/manifest.json', text);
    expect(await store.putIfAbsent('groups/h/manifest.json', text)).toBe(true);
    await store.put('archive/a.csv', text);
    const size = async (key: string) =>
      (await readFile(join(dir, 'bucket', ...key.split('/')))).length;
    expect(await size('groups/g/manifest.json')).toBeGreaterThan(text.length / 8);
    expect(await size('groups/h/manifest.json')).toBeGreaterThan(text.length / 8);
    expect(await size('archive/a.csv')).toBeLessThan(text.length / 50);
    for (const key of ['groups/g/manifest.json', 'groups/h/manifest.json']) {
      expect(Buffer.from((await store.get(key)) ?? []).toString() === text).toBe(true);
    }
    expect(await store.list('groups/g/')).toEqual([
      { key: 'groups/g/manifest.json', size: text.length },
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// a reader that stops after the first chunk (Archive reads a manifest's head only) must not
// leave the stored file open: a long-running process would run out of descriptors
it('a gzip-compressed object read only in part leaves no file open', async (ctx) => {
  if (!existsSync('/proc/self/fd')) return ctx.skip('no /proc/self/fd to count open files');
  const dir = await mkdtemp(join(tmpdir(), 'fs-store-gz-'));
  try {
    const store = new FileSystemObjectStore(join(dir, 'bucket'), { gzipped: ['groups/'] });
    const text = Array.from({ length: 200_000 }, (_, i) => `${i * 7919}`).join(',');
    await store.put('groups/g/manifest.json', text);
    const open = async () => (await readdir('/proc/self/fd')).length;
    const before = await open();
    for (let i = 0; i < 20; i++) {
      for await (const chunk of store.getStream('groups/g/manifest.json')) {
        expect(chunk.length).toBeGreaterThan(0);
        break;
      }
    }
    // closing is asynchronous: wait for it (generously, the machine may be busy); a leak keeps
    // the 20 files open however long it waits
    const deadline = Date.now() + 10_000;
    while ((await open()) >= before + 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await open()).toBeLessThan(before + 5);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

describe('FileSystemObjectStore on disk', () => {
  let dir: string;
  let store: FileSystemObjectStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-store-'));
    store = new FileSystemObjectStore(join(dir, 'bucket'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('tells a revision that moves with every rewrite and edit of the file, null when absent', async () => {
    const key = 'groups/g/manifest.json';
    const path = join(dir, 'bucket', 'groups', 'g', 'manifest.json');
    expect(await store.revision('groups/g/manifest.json')).toBeNull();
    await store.put(key, 'abc');
    const first = await store.revision(key);
    expect(first).not.toBeNull();
    await store.get(key);
    expect(await store.revision(key)).toBe(first);
    // the same bytes put again: another file renamed into place
    await store.put(key, 'abc');
    const rewritten = await store.revision(key);
    expect(rewritten).not.toBe(first);
    // edited in place, the size kept (its times set apart from the put's, whatever the clock's tick)
    await writeFile(path, 'xyz');
    await utimes(path, new Date(1_000_000), new Date(1_000_000));
    expect(await store.revision(key)).not.toBe(rewritten);
    await store.delete(key);
    expect(await store.revision(key)).toBeNull();
    await mkdir(join(dir, 'bucket', 'groups', 'd'), { recursive: true });
    expect(await store.revision('groups/d')).toBeNull();
  });

  it('maps keys to files under the root', async () => {
    await store.put('incoming/orders/a.csv', 'x');
    expect(existsSync(join(dir, 'bucket', 'incoming', 'orders', 'a.csv'))).toBe(true);
  });

  it('never writes outside the root for an invalid key', async () => {
    for (const key of INVALID_KEYS) {
      await expect(store.put(key, 'x')).rejects.toBeInstanceOf(InvalidObjectKey);
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('hides leftover temp files (a crash mid-write) from list and refuses such keys', async () => {
    await store.put('a/k.csv', '1');
    const temp = '.~0b7c5f4e-2d0e-4a8e-9a44-3c3c2f1b9d10.tmp';
    await writeFile(join(dir, 'bucket', 'a', temp), 'half');
    expect((await store.list('a/')).map((o) => o.key)).toEqual(['a/k.csv']);
    await expect(store.put(`a/${temp}`, 'x')).rejects.toBeInstanceOf(InvalidObjectKey);
  });

  it('sweeps temp files left by a killed writer once they are old enough, and nothing else', async () => {
    await store.put('a/k.csv', '1');
    const old = join(dir, 'bucket', 'a', '.~0b7c5f4e-2d0e-4a8e-9a44-3c3c2f1b9d10.tmp');
    const fresh = join(dir, 'bucket', '.~1b7c5f4e-2d0e-4a8e-9a44-3c3c2f1b9d10.tmp');
    await writeFile(old, 'half');
    await writeFile(fresh, 'in progress');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(old, hourAgo, hourAgo);
    expect(await store.sweepAbandonedTemps(15 * 60_000)).toBe(1);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(await store.get('a/k.csv')).toEqual(new TextEncoder().encode('1'));
  });

  it('lists files put there by other means, and treats a directory key as absent', async () => {
    await mkdir(join(dir, 'bucket', 'incoming', 'sub'), { recursive: true });
    await writeFile(join(dir, 'bucket', 'incoming', 'dropped.csv'), 'abc');
    expect(await store.list('incoming/')).toEqual([{ key: 'incoming/dropped.csv', size: 3 }]);
    expect(await store.get('incoming/sub')).toBeNull();
  });
});
