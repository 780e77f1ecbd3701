// A streamed delivery under a new name is hashed while it is copied into incoming/ (one read of
// the file): it lands as the bytes would, with the same content hash; the same bytes under
// another name are a duplicate whose copy is not kept; a name already taken by other bytes
// still gets the hash in its key (the earlier file is never overwritten).
import { isRight } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeliverFile } from '../../../src/application/deliver-file.use-case.js';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { HASHER, type Hasher } from '../../../src/ports/hasher.port.js';
import { OBJECT_STORE, type ObjectStore } from '../../../src/ports/object-store.port.js';

const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const enc = (text: string) => new TextEncoder().encode(text);
const textOf = (bytes: Uint8Array | null) => Buffer.from(bytes ?? []).toString();
/** a stream of the text in chunks of 7 bytes, as many times as it is asked */
const streamed = (text: string) =>
  async function* () {
    const bytes = enc(text);
    for (let at = 0; at < bytes.length; at += 7) yield bytes.subarray(at, at + 7);
  };

afterEach(() => vi.restoreAllMocks());

describe('DeliverFile, streamed', () => {
  it('lands a new name hashed while copied; the same bytes again under another name are a duplicate', async () => {
    const container = buildInMemoryContainer();
    const deliver = container.get<DeliverFile>(TOKENS.DeliverFile);
    const objects = container.get<ObjectStore>(OBJECT_STORE);
    const hasher = container.get<Hasher>(HASHER);
    const text = `${ORDERS_H}\n1,u1,delivered,2025-03-01T00:00:00,,,,1\n2,u2,shipped,2025-03-02T00:00:00,,,,2\n`;
    const first = await deliver.execute('o.csv', streamed(text), 'orders');
    expect(isRight(first) && first.right._tag).toBe('Landed');
    expect(isRight(first) && first.right.contentHash).toBe(hasher.hash(enc(text)));
    expect(isRight(first) && first.right.fileKey).toBe('incoming/orders/o.csv');
    expect(textOf(await objects.get('incoming/orders/o.csv'))).toBe(text);

    const again = await deliver.execute('copy.csv', streamed(text), 'orders');
    expect(isRight(again) && again.right._tag).toBe('Duplicate');
    expect(isRight(again) && again.right.fileKey).toBe('incoming/orders/o.csv');
    expect((await objects.list('incoming/')).map((o) => o.key)).toEqual(['incoming/orders/o.csv']);
    // and under its own name (the object exists: hashed first, as always)
    const same = await deliver.execute('o.csv', streamed(text), 'orders');
    expect(isRight(same) && same.right._tag).toBe('Duplicate');

    const other = `${ORDERS_H}\n3,u3,delivered,2025-03-03T00:00:00,,,,1\n`;
    const renamed = await deliver.execute('o.csv', streamed(other), 'orders');
    const hash = hasher.hash(enc(other));
    expect(isRight(renamed) && renamed.right._tag).toBe('Landed');
    expect(isRight(renamed) && renamed.right.fileKey).toBe(
      `incoming/orders/o.${hash.slice(0, 12)}.csv`,
    );
    expect(textOf(await objects.get('incoming/orders/o.csv'))).toBe(text);
  });

  it('lands the same as a delivery of the bytes', async () => {
    const text = `${ORDERS_H}\n7,u7,delivered,2025-04-01T00:00:00,,,,3\n`;
    const outcomes = [];
    for (const content of [enc(text), streamed(text)]) {
      const container = buildInMemoryContainer();
      const landed = await container
        .get<DeliverFile>(TOKENS.DeliverFile)
        .execute('x.csv', content, 'orders');
      const objects = container.get<ObjectStore>(OBJECT_STORE);
      outcomes.push({ landed, keys: (await objects.list('')).map((o) => o.key) });
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
  });
});

describe('DeliverFile, the next delivery copied ahead', () => {
  const first = `${ORDERS_H}\n1,u1,delivered,2025-03-01T00:00:00,,,,1\n`;
  const second = `${ORDERS_H}\n2,u2,shipped,2025-03-02T00:00:00,,,,2\n`;
  /** a streamed file that counts how many times it was read */
  const counted = (text: string) => {
    const reads = { n: 0 };
    const content = streamed(text);
    return {
      reads,
      content: () => {
        reads.n++;
        return content();
      },
    };
  };
  const setUp = () => {
    const container = buildInMemoryContainer();
    return {
      deliver: container.get<DeliverFile>(TOKENS.DeliverFile),
      objects: container.get<ObjectStore>(OBJECT_STORE),
      land: container.get<LandFile>(TOKENS.LandFile),
      hasher: container.get<Hasher>(HASHER),
    };
  };
  const keys = async (objects: ObjectStore) => (await objects.list('incoming/')).map((o) => o.key);
  const copiedAhead = (objects: ObjectStore) =>
    vi.waitFor(async () => expect(await keys(objects)).toContain('incoming/orders/p.csv'), {
      timeout: 2000,
    });

  it("copies the next file while the first one's landing runs, and lands it from that copy", async () => {
    const { deliver, objects, land, hasher } = setUp();
    const next = counted(second);
    const execute = land.execute.bind(land);
    // the first landing goes on only once the next file is in the bucket: copied beside it
    vi.spyOn(land, 'execute').mockImplementationOnce(async (key, hash) => {
      await copiedAhead(objects);
      return execute(key, hash);
    });
    deliver.expectNext('p.csv', next.content, 'orders');
    const one = await deliver.execute('o.csv', streamed(first), 'orders');
    expect(isRight(one) && one.right._tag).toBe('Landed');
    const two = await deliver.execute('p.csv', next.content, 'orders');
    expect(isRight(two) && two.right._tag).toBe('Landed');
    expect(isRight(two) && two.right.fileKey).toBe('incoming/orders/p.csv');
    expect(isRight(two) && two.right.contentHash).toBe(hasher.hash(enc(second)));
    expect(next.reads.n).toBe(1); // copied once, ahead
    expect(textOf(await objects.get('incoming/orders/p.csv'))).toBe(second);
  });

  it('a failing landing, then dropNext, leaves the bucket and the log as without the copy ahead', async () => {
    const states = [];
    for (const ahead of [false, true]) {
      const { deliver, objects, land } = setUp();
      // the landing fails once the copy ahead is made (a real one fails later still)
      vi.spyOn(land, 'execute').mockImplementationOnce(async () => {
        if (ahead) await copiedAhead(objects);
        throw new Error('disk full');
      });
      if (ahead) deliver.expectNext('p.csv', streamed(second), 'orders');
      await expect(deliver.execute('o.csv', streamed(first), 'orders')).rejects.toThrow(
        'disk full',
      );
      await deliver.dropNext();
      states.push({ keys: await keys(objects), all: (await objects.list('')).map((o) => o.key) });
    }
    expect(states[1]).toEqual(states[0]);
    expect(states[0]?.keys).toEqual(['incoming/orders/o.csv']);
  });

  it('copies nothing ahead under a name an object has, and delivers that file as before', async () => {
    const { deliver, objects } = setUp();
    await deliver.execute('p.csv', streamed(first), 'orders');
    const next = counted(second);
    deliver.expectNext('p.csv', next.content, 'orders');
    await deliver.execute(
      'o.csv',
      streamed(`${ORDERS_H}\n3,u3,delivered,2025-03-03T00:00:00,,,,1\n`),
      'orders',
    );
    expect(next.reads.n).toBe(0);
    expect(textOf(await objects.get('incoming/orders/p.csv'))).toBe(first);
    const two = await deliver.execute('p.csv', next.content, 'orders');
    expect(isRight(two) && two.right._tag).toBe('Landed');
    expect(isRight(two) && two.right.fileKey).not.toBe('incoming/orders/p.csv');
    expect(textOf(await objects.get('incoming/orders/p.csv'))).toBe(first);
  });
});
