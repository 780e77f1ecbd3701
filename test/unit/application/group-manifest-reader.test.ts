// The manifest reader gives the same decoded value for the same bytes while that value is in use
// (so Validate's selection of staged rows serves Transform), and decodes anew when the bytes
// differ, the manifest is gone, or it names another group. Archive's readManifestFiles reads
// only the head of a manifest and answers exactly the file list the whole decode gives.
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BytesDigest } from '../../../src/application/bytes-digest.js';
import {
  readManifest,
  readManifestFiles,
  releaseWrittenManifest,
  rememberWrittenManifest,
} from '../../../src/application/group-manifest-reader.js';
import { completionColumnsOf, completionsOf } from '../../../src/domain/completion-columns.js';
import { encodeManifest, type GroupManifest } from '../../../src/domain/group-manifest.codec.js';
import { FileSystemObjectStore } from '../../../src/adapters/filesystem/filesystem-object-store.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import { ObjectNotFound, type ObjectStore } from '../../../src/ports/object-store.port.js';

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

const read = async (objects: ObjectStore, key: string, groupId: string) => {
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
    expect((await read(objects, key, 'g1')).completions).toBe(first.completions);

    await objects.put(key, encodeManifest(manifestOf('g1', 'i2')));
    const rewritten = await read(objects, key, 'g1');
    expect(rewritten.completions).not.toBe(first.completions);
    expect(completionsOf(rewritten.completions)[0]?.items.map((l) => l.hash)).toEqual(['i2']);
  });

  it('keeps answering the same columns while only the columns are held (as StagedRows does)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const objects = new InMemoryObjectStore();
    const key = 'groups/g4/manifest.json';
    await objects.put(key, encodeManifest(manifestOf('g4', 'i1')));
    const { completions } = await read(objects, key, 'g4');
    // let the promise jobs end, so a WeakRef to anything else may be cleared
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect((await read(objects, key, 'g4')).completions).toBe(completions);
  });

  it('answers a manifest a landing wrote with its value, held until read, when the bytes match', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const objects = new InMemoryObjectStore();
    const key = 'groups/g5/manifest.json';
    let written: GroupManifest | undefined = manifestOf('g5', 'i1');
    const bytes = new TextEncoder().encode(encodeManifest(written));
    await objects.put(key, bytes);
    rememberWrittenManifest(key, written, new BytesDigest().add(bytes).digest());
    const ref = new WeakRef(written.completions);
    written = undefined;
    // held strongly: nothing else refers to the columns, yet they survive a full collection
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(ref.deref()).toBeDefined();
    expect((await read(objects, key, 'g5')).completions).toBe(ref.deref());

    // bytes other than those written: decoded anew, the landing's value not used
    const other = manifestOf('g6', 'i1');
    await objects.put('groups/g6/manifest.json', encodeManifest(manifestOf('g6', 'i9')));
    rememberWrittenManifest(
      'groups/g6/manifest.json',
      other,
      new BytesDigest().add(new TextEncoder().encode(encodeManifest(other))).digest(),
    );
    const decoded = await read(objects, 'groups/g6/manifest.json', 'g6');
    expect(decoded.completions).not.toBe(other.completions);
    expect(completionsOf(decoded.completions)[0]?.items.map((l) => l.hash)).toEqual(['i9']);
  });

  it('does not keep the value of a written manifest of more orders than the limit', async () => {
    const objects = new InMemoryObjectStore();
    const key = 'groups/g8/manifest.json';
    const written = manifestOf('g8', 'i1');
    const bytes = new TextEncoder().encode(encodeManifest(written));
    await objects.put(key, bytes);
    rememberWrittenManifest(key, written, new BytesDigest().add(bytes).digest(), null, 0);
    const read1 = await read(objects, key, 'g8');
    expect(read1.completions).not.toBe(written.completions);
    expect(completionsOf(read1.completions)).toEqual(completionsOf(written.completions));
  });

  it('lets the value of a written manifest go once the next landing starts', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const objects = new InMemoryObjectStore();
    const key = 'groups/g7/manifest.json';
    const bytes = new TextEncoder().encode(encodeManifest(manifestOf('g7', 'i1')));
    await objects.put(key, bytes);
    const digest = new BytesDigest().add(bytes).digest();
    let written: GroupManifest | undefined = manifestOf('g7', 'i1');
    const ref = new WeakRef(written.completions);
    rememberWrittenManifest(key, written, digest);
    written = undefined;
    releaseWrittenManifest();
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(ref.deref()).toBeUndefined();
    // and the manifest is decoded from its bytes
    expect(completionsOf((await read(objects, key, 'g7')).completions)[0]?.orderId).toBe('1');
  });

  it('does not read a manifest again while its revision is the one its bytes were hashed under', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'manifest-revision-'));
    try {
      const objects = new FileSystemObjectStore(join(dir, 'bucket'), { gzipped: ['groups/'] });
      const streams = vi.spyOn(objects, 'getStream');
      const key = 'groups/r1/manifest.json';
      await objects.put(key, encodeManifest(manifestOf('r1', 'i1')));
      const first = await read(objects, key, 'r1');
      const readsOfFirst = streams.mock.calls.length;
      expect(readsOfFirst).toBeGreaterThan(0);
      // unchanged: the same value, the object not read
      expect((await read(objects, key, 'r1')).completions).toBe(first.completions);
      expect(streams.mock.calls.length).toBe(readsOfFirst);
      // rewritten (the same size): read, and the new bytes decoded
      await objects.put(key, encodeManifest(manifestOf('r1', 'i2')));
      const rewritten = await read(objects, key, 'r1');
      expect(completionsOf(rewritten.completions)[0]?.items.map((l) => l.hash)).toEqual(['i2']);
      // edited in place by other means, its times set apart from the put's
      const path = join(dir, 'bucket', 'groups', 'r1', 'manifest.json');
      const { gzipSync } = await import('node:zlib');
      await writeFile(path, gzipSync(encodeManifest(manifestOf('r1', 'i3'))));
      await utimes(path, new Date(1_000_000), new Date(1_000_000));
      const edited = await read(objects, key, 'r1');
      expect(completionsOf(edited.completions)[0]?.items.map((l) => l.hash)).toEqual(['i3']);
      // and gone: missing, not the value held
      await objects.delete(key);
      expect(isLeft(await readManifest(objects, key, 'r1'))).toBe(true);
      expect(edited.completions).toBeDefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("hashes a landing's manifest once, then trusts its revision; a revision moving during a read is not trusted", async () => {
    /** a store whose revision moves on every call while `moving` (a write racing each read) */
    class RevisedStore extends InMemoryObjectStore {
      moving = false;
      private calls = 0;
      async revision(key: string): Promise<string | null> {
        if ((await this.get(key)) === null) return null;
        return this.moving ? `r${++this.calls}` : 'r0';
      }
    }
    const objects = new RevisedStore();
    const streams = vi.spyOn(objects, 'getStream');
    const key = 'groups/r2/manifest.json';
    const written = manifestOf('r2', 'i1');
    const bytes = new TextEncoder().encode(encodeManifest(written));
    await objects.put(key, bytes);
    rememberWrittenManifest(key, written, new BytesDigest().add(bytes).digest());
    // the landing's bytes are not known to be the object's: hashed once (Validate)
    expect((await read(objects, key, 'r2')).completions).toBe(written.completions);
    expect(streams).toHaveBeenCalledTimes(1);
    // then taken on its revision (Transform)
    expect((await read(objects, key, 'r2')).completions).toBe(written.completions);
    expect(streams).toHaveBeenCalledTimes(1);

    const other = 'groups/r3/manifest.json';
    await objects.put(other, encodeManifest(manifestOf('r3', 'i1')));
    objects.moving = true;
    const value = (await read(objects, other, 'r3')).completions;
    const afterDecode = streams.mock.calls.length;
    // never two equal revisions around a read: every read hashes the bytes again
    expect((await read(objects, other, 'r3')).completions).toBe(value);
    expect((await read(objects, other, 'r3')).completions).toBe(value);
    expect(streams.mock.calls.length).toBe(afterDecode + 2);
  });

  it('does not take the revision after a read for the bytes read when a write came between', async () => {
    /** rewrites the object once, right after a stream of it ends (before the reader looks again) */
    class RacingStore extends InMemoryObjectStore {
      current = 'A';
      race: (() => Promise<void>) | undefined;
      async revision(key: string): Promise<string | null> {
        return (await this.get(key)) === null ? null : this.current;
      }
      override async *getStream(key: string): AsyncIterable<Uint8Array> {
        yield* super.getStream(key);
        const race = this.race;
        this.race = undefined;
        await race?.();
      }
    }
    const objects = new RacingStore();
    const key = 'groups/r4/manifest.json';
    await objects.put(key, encodeManifest(manifestOf('r4', 'i1')));
    objects.race = async () => {
      await objects.put(key, encodeManifest(manifestOf('r4', 'i2')));
      objects.current = 'B';
    };
    const first = await read(objects, key, 'r4');
    expect(completionsOf(first.completions)[0]?.items.map((l) => l.hash)).toEqual(['i1']);
    // the object is at revision B now, with other bytes than those hashed
    const second = await read(objects, key, 'r4');
    expect(completionsOf(second.completions)[0]?.items.map((l) => l.hash)).toEqual(['i2']);
  });

  it('checks a manifest it decoded before by streaming its bytes, in chunks of any size', async () => {
    /** streams in the given chunk sizes; counts the whole reads (get) made by the reader */
    class ChunkedStore extends InMemoryObjectStore {
      wholeReads = 0;
      private reads = 0;
      private streaming = false;
      constructor(private readonly sizes: readonly number[]) {
        super();
      }
      override async get(key: string): Promise<Uint8Array | null> {
        if (!this.streaming) this.wholeReads += 1;
        return super.get(key);
      }
      override async *getStream(key: string): AsyncIterable<Uint8Array> {
        this.streaming = true;
        const body = await super.get(key).finally(() => (this.streaming = false));
        if (body === null) throw new ObjectNotFound(key);
        // each read starts at another size: the two reads of a manifest are chunked differently
        for (let at = 0, i = this.reads++; at < body.length; i++) {
          const size = this.sizes[i % this.sizes.length] as number;
          yield body.subarray(at, at + size);
          at += size;
        }
      }
    }
    // a key per run: the reader remembers what it decoded per key, across runs
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        fc.string({ maxLength: 12 }),
        async (sizes, hash) => {
          const objects = new ChunkedStore(sizes);
          const key = `groups/g5-${run++}/manifest.json`;
          await objects.put(key, encodeManifest(manifestOf('g5', `i${hash}`)));
          const first = await read(objects, key, 'g5');
          // decoded as it streams: never read whole
          expect(objects.wholeReads).toBe(0);
          expect(first).toEqual(manifestOf('g5', `i${hash}`));
          // the streamed digest equals the whole bytes' one: the same value, no whole read
          expect((await read(objects, key, 'g5')).completions).toBe(first.completions);
          expect(objects.wholeReads).toBe(0);
          // one byte more: another digest, decoded anew
          await objects.put(key, encodeManifest(manifestOf('g5', `i${hash}x`)));
          const changed = await read(objects, key, 'g5');
          expect(changed.completions).not.toBe(first.completions);
          expect(completionsOf(changed.completions)[0]?.items.map((l) => l.hash)).toEqual([
            `i${hash}x`,
          ]);
          expect(objects.wholeReads).toBe(0);
          await objects.delete(key);
          expect(isLeft(await readManifest(objects, key, 'g5'))).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('reads an older (spelled) manifest whole, as before', async () => {
    const objects = new InMemoryObjectStore();
    const key = 'groups/g6/manifest.json';
    const m = manifestOf('g6', 'i1');
    const orders = completionsOf(m.completions);
    await objects.put(key, JSON.stringify({ groupId: 'g6', fileKey: m.fileKey, orders }));
    expect(await read(objects, key, 'g6')).toEqual(m);
    await objects.put(key, '{"groupId":"g6","fileKey":');
    const broken = await readManifest(objects, key, 'g6');
    expect(isLeft(broken) && broken.left._tag).toBe('ManifestInvalid');
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

describe('readManifestFiles', () => {
  it('gives the file list the whole decode gives, whatever the keys hold', async () => {
    // any text, and text that looks like the end of the file list
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('],"orderIds":', '\\"],"orderIds":[', '"', '\\', '{"files":['),
    );
    const location = fc.record({ key: text, stagedKey: text, hash: text });
    const order = fc.record({
      orderId: text,
      fingerprint: text,
      createdAt: fc.integer(),
      order: location,
      items: fc.array(location, { maxLength: 3 }),
      products: fc.array(location, { maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        text,
        text,
        fc.array(order, { maxLength: 6 }),
        async (groupId, fileKey, orders) => {
          const objects = new InMemoryObjectStore();
          const key = 'groups/p/manifest.json';
          const completions = completionColumnsOf(orders);
          await objects.put(key, encodeManifest({ groupId, fileKey, completions }));
          const files = await readManifestFiles(objects, key, groupId);
          expect(isRight(files) && files.right.files).toEqual(completions.files);
          const wrong = await readManifestFiles(objects, key, `${groupId}x`);
          expect(isLeft(wrong) && wrong.left._tag).toBe('ManifestInvalid');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads only the head of a big manifest', async () => {
    const objects = new InMemoryObjectStore();
    const key = 'groups/big/manifest.json';
    const orders = Array.from({ length: 20_000 }, (_, i) => ({
      orderId: String(i),
      fingerprint: 'f'.repeat(16),
      createdAt: i,
      order: { key: 'incoming/orders/o.csv', stagedKey: 'staging/orders/a.parquet', hash: `${i}` },
      items: [
        {
          key: 'incoming/order_items/i.csv',
          stagedKey: 'staging/order_items/b.parquet',
          hash: `i${i}`,
        },
      ],
      products: [],
    }));
    await objects.put(
      key,
      encodeManifest({ groupId: 'big', fileKey: 'f', completions: completionColumnsOf(orders) }),
    );
    let chunks = 0;
    const stream = objects.getStream.bind(objects);
    objects.getStream = async function* (k: string) {
      for await (const chunk of stream(k)) {
        chunks++;
        yield chunk;
      }
    };
    const files = await readManifestFiles(objects, key, 'big');
    expect(isRight(files) && files.right.files).toEqual([
      ['incoming/orders/o.csv', 'staging/orders/a.parquet'],
      ['incoming/order_items/i.csv', 'staging/order_items/b.parquet'],
    ]);
    expect(((await objects.get(key)) ?? []).length).toBeGreaterThan(10 * 64 * 1024);
    expect(chunks).toBe(1);
  });

  it('reads an older (spelled-out) manifest whole, and reports one gone', async () => {
    const objects = new InMemoryObjectStore();
    const key = 'groups/old/manifest.json';
    const { completions } = manifestOf('old', 'i1');
    const spelled = { groupId: 'old', fileKey: 'f', orders: completionsOf(completions) };
    await objects.put(key, JSON.stringify(spelled));
    const files = await readManifestFiles(objects, key, 'old');
    expect(isRight(files) && files.right.files).toEqual(completions.files);
    const gone = await readManifestFiles(objects, 'groups/none/manifest.json', 'none');
    expect(isLeft(gone) && gone.left._tag).toBe('ManifestMissing');
  });
});
