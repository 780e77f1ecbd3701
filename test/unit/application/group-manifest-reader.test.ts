// The manifest reader gives the same decoded value for the same bytes while that value is in use
// (so Validate's selection of staged rows serves Transform), and decodes anew when the bytes
// differ, the manifest is gone, or it names another group. Archive's readManifestFiles reads
// only the head of a manifest and answers exactly the file list the whole decode gives.
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { BytesDigest } from '../../../src/application/bytes-digest.js';
import {
  readManifest,
  readManifestFiles,
  releaseWrittenManifest,
  rememberWrittenManifest,
} from '../../../src/application/group-manifest-reader.js';
import { completionColumnsOf, completionsOf } from '../../../src/domain/completion-columns.js';
import { encodeManifest, type GroupManifest } from '../../../src/domain/group-manifest.codec.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import { ObjectNotFound } from '../../../src/ports/object-store.port.js';

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
    rememberWrittenManifest(key, written, new BytesDigest().add(bytes).digest(), 0);
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
