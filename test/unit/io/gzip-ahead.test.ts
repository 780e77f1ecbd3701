// Archive's gzip done ahead (gzip-ahead.ts): the worker's serial gzip is the store's own gzip
// byte for byte; a copy prepared ahead stores what a plain copy stores, using the prepared file
// only when its source is the file it was made from; a copy that comes first, a source
// replaced meanwhile or a hint never followed leave the store as without it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSystemObjectStore } from '../../../src/adapters/filesystem/filesystem-object-store.js';
import { parallelGzip, serialGzip } from '../../../src/adapters/filesystem/gzip-body.js';

async function* chunked(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const gathered = async (chunks: AsyncIterable<Uint8Array>): Promise<Buffer> => {
  const out: Uint8Array[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return Buffer.concat(out);
};

/** serialGzip of the bytes, read `readBytes` at most at a time */
const serial = (body: Uint8Array, partBytes: number, readBytes: number): Buffer => {
  const out: Uint8Array[] = [];
  let at = 0;
  serialGzip(
    (into) => {
      const n = Math.min(into.length, readBytes, body.length - at);
      into.set(body.subarray(at, at + n));
      at += n;
      return n;
    },
    (bytes) => out.push(Buffer.from(bytes)),
    { partBytes },
  );
  return Buffer.concat(out);
};

describe('serialGzip', () => {
  it('writes the same bytes as parallelGzip, for any body, part size and read size', async () => {
    const bodies = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc
        .array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 300 })), {
          maxLength: 20,
        })
        .map((runs) => Uint8Array.from(runs.flatMap(([v, n]) => Array<number>(n).fill(v)))),
    );
    await fc.assert(
      fc.asyncProperty(
        bodies,
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 600 }),
        async (body, partBytes, readBytes) => {
          const parallel = await gathered(parallelGzip(chunked(body, 97), { partBytes }));
          expect(serial(body, partBytes, readBytes).equals(parallel)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a body of whole parts ends with an empty last part, as parallelGzip', async () => {
    const body = randomBytes(300);
    const parallel = await gathered(parallelGzip(chunked(body, 64), { partBytes: 100 }));
    expect(serial(body, 100, 1000).equals(parallel)).toBe(true);
  });
});

describe('FileSystemObjectStore, copies prepared ahead', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gzip-ahead-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const storeIn = (name: string) =>
    new FileSystemObjectStore(join(dir, name), { gzipped: ['archive/'], aheadPartBytes: 4096 });
  const csv = (rows: number, seed: string) =>
    `id,value\n${Array.from({ length: rows }, (_, i) => `${i},${seed}${i % 13}`).join('\n')}\n`;
  const tempsIn = async (path: string) =>
    (await readdir(path).catch(() => [])).filter((n) => n.endsWith('.tmp'));

  it('renames the file made ahead into place: the same object as a plain copy', async () => {
    const body = csv(20_000, 'a');
    const ahead = storeIn('ahead');
    const plain = storeIn('plain');
    for (const s of [ahead, plain]) await s.put('incoming/i.csv', body);
    ahead.prepareCopy('incoming/i.csv', 'archive/i.csv');
    ahead.prepareCopy('incoming/i.csv', 'archive/i.csv'); // asked twice: made once
    await ahead.preparedCopies();
    const [temp, ...others] = await tempsIn(join(dir, 'ahead', 'archive'));
    expect(others).toEqual([]);
    const made = await stat(join(dir, 'ahead', 'archive', temp ?? ''));
    await ahead.copy('incoming/i.csv', 'archive/i.csv');
    await plain.copy('incoming/i.csv', 'archive/i.csv');
    // the very file made ahead (its inode), holding the same bytes as the plain copy's gzip
    const archived = await stat(join(dir, 'ahead', 'archive', 'i.csv'));
    expect(archived.ino).toBe(made.ino);
    expect(await ahead.get('archive/i.csv')).toEqual(await plain.get('archive/i.csv'));
    expect(Buffer.from((await ahead.get('archive/i.csv')) ?? []).toString()).toBe(body);
    expect(await ahead.list('archive/')).toEqual(await plain.list('archive/'));
    expect(await tempsIn(join(dir, 'ahead', 'archive'))).toEqual([]);
  });

  it('a source replaced after it was prepared is copied as it is now', async () => {
    const store = storeIn('b');
    await store.put('incoming/i.csv', csv(5000, 'old'));
    store.prepareCopy('incoming/i.csv', 'archive/i.csv');
    await store.preparedCopies();
    const now = csv(5000, 'new');
    await store.put('incoming/i.csv', now);
    await store.copy('incoming/i.csv', 'archive/i.csv');
    expect(Buffer.from((await store.get('archive/i.csv')) ?? []).toString()).toBe(now);
    expect(await tempsIn(join(dir, 'b', 'archive'))).toEqual([]);
  });

  it('a copy asked before its file is done compresses it now, and drops the unfinished', async () => {
    const store = storeIn('c');
    const bodies = [csv(30_000, 'x'), csv(30_000, 'y')];
    await store.put('incoming/x.csv', bodies[0] ?? '');
    await store.put('incoming/y.csv', bodies[1] ?? '');
    store.prepareCopy('incoming/x.csv', 'archive/x.csv');
    store.prepareCopy('incoming/y.csv', 'archive/y.csv');
    // at once: the worker has not even started
    await store.copy('incoming/x.csv', 'archive/x.csv');
    await store.copy('incoming/y.csv', 'archive/y.csv');
    expect(Buffer.from((await store.get('archive/x.csv')) ?? []).toString()).toBe(bodies[0]);
    expect(Buffer.from((await store.get('archive/y.csv')) ?? []).toString()).toBe(bodies[1]);
    expect(await tempsIn(join(dir, 'c', 'archive'))).toEqual([]);
  });

  it('a hint never followed leaves nothing once dropped; a missing source is still not found', async () => {
    const store = storeIn('d');
    await store.put('incoming/i.csv', csv(1000, 'z'));
    store.prepareCopy('incoming/i.csv', 'archive/i.csv');
    store.prepareCopy('incoming/none.csv', 'archive/none.csv');
    await store.preparedCopies();
    await expect(store.copy('incoming/none.csv', 'archive/none.csv')).rejects.toThrow(/not found/);
    store.dropPreparedCopies();
    expect(await tempsIn(join(dir, 'd', 'archive'))).toEqual([]);
    expect(await store.list('archive/')).toEqual([]);
    // other copies are not prepared (nothing to compress)
    store.prepareCopy('incoming/i.csv', 'incoming/j.csv');
    await store.copy('incoming/i.csv', 'incoming/j.csv');
    expect(await store.get('incoming/j.csv')).toEqual(await store.get('incoming/i.csv'));
  });

  it('a file edited in place after it was prepared is not taken from the file made ahead', async () => {
    const store = storeIn('e');
    await store.put('incoming/i.csv', csv(3000, 'a'));
    store.prepareCopy('incoming/i.csv', 'archive/i.csv');
    await store.preparedCopies();
    const edited = csv(3000, 'b');
    await writeFile(join(dir, 'e', 'incoming', 'i.csv'), edited);
    await store.copy('incoming/i.csv', 'archive/i.csv');
    expect(Buffer.from((await store.get('archive/i.csv')) ?? []).toString()).toBe(edited);
  });
});
