// A streamed delivery under a new name is hashed while it is copied into incoming/ (one read of
// the file): it lands as the bytes would, with the same content hash; the same bytes under
// another name are a duplicate whose copy is not kept; a name already taken by other bytes
// still gets the hash in its key (the earlier file is never overwritten).
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { DeliverFile } from '../../../src/application/deliver-file.use-case.js';
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
