import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSystemObjectStore } from '../../src/adapters/filesystem/filesystem-object-store.js';
import { InvalidObjectKey } from '../../src/ports/object-store.port.js';
import { describeObjectStoreContract, INVALID_KEYS } from './object-store.contract.js';

describeObjectStoreContract('filesystem', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fs-store-'));
  return {
    port: new FileSystemObjectStore(join(dir, 'bucket')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('FileSystemObjectStore on disk', () => {
  let dir: string;
  let store: FileSystemObjectStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-store-'));
    store = new FileSystemObjectStore(join(dir, 'bucket'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

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
