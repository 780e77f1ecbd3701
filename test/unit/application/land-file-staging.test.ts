// LandFile hands a landing's keys to an index that takes them batch by batch
// (ReferenceIndex.begin): every decoded batch's keys, then one register; a rejected or failing
// landing abandons them and registers nothing.
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { InMemoryReferenceIndex } from '../../../src/adapters/in-memory/in-memory-reference-index.js';
import { gatheringStaging } from '../../../src/application/landing-keys.js';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { OBJECT_STORE, type ObjectStore } from '../../../src/ports/object-store.port.js';
import {
  REFERENCE_INDEX,
  type DatasetName,
  type LandingStaging,
} from '../../../src/ports/reference-index.port.js';

const ITEMS_H =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';

/** the in-memory index, taking keys batch by batch and saying what it was given */
class BatchIndex extends InMemoryReferenceIndex {
  readonly calls: string[] = [];
  begin(dataset: DatasetName): LandingStaging {
    const gathered = gatheringStaging(this, dataset);
    return {
      add: (keys) => {
        this.calls.push(`add ${keys.hashWords?.length ?? 0}`);
        gathered.add(keys);
      },
      register: (fileKey, stagedKey, now) => {
        this.calls.push(`register ${fileKey}`);
        return gathered.register(fileKey, stagedKey, now);
      },
      committed: () => {
        this.calls.push('committed');
        return gathered.committed();
      },
      abandon: () => {
        this.calls.push('abandon');
        gathered.abandon();
      },
    };
  }
}

const setup = () => {
  const container = buildInMemoryContainer();
  const index = new BatchIndex();
  container.rebind(REFERENCE_INDEX).toConstantValue(index);
  const objects = container.get<ObjectStore>(OBJECT_STORE);
  const land = container.get<LandFile>(TOKENS.LandFile);
  const put = async (key: string, ...lines: string[]) => {
    await objects.put(key, lines.join('\n'));
    return land.execute(key);
  };
  return { index, put, objects };
};

describe('LandFile with an index that takes keys batch by batch', () => {
  it("hands over each batch's keys, then registers once", async () => {
    const s = setup();
    const out = await s.put(
      'incoming/orders/o.csv',
      ORDERS_H,
      '1,u1,delivered,2025-03-01T00:00:00,,,,1',
      '2,u1,delivered,2025-03-01T00:00:00,,,,1',
    );
    expect(isRight(out) && out.right._tag).toBe('Landed');
    // two rows: one batch, each row's hash as two words
    expect(s.index.calls).toEqual(['add 4', 'register incoming/orders/o.csv', 'committed']);
    expect((await s.index.pending()).map((p) => p.orderId)).toEqual(['1', '2']);
  });

  it('abandons the keys of a rejected file and registers nothing', async () => {
    const s = setup();
    const out = await s.put(
      'incoming/order_items/i.csv',
      ITEMS_H,
      'i1,1,u1,p1,delivered,,,,,3.50',
      'i2,1,u1,p1,delivered,,,,,not-a-price',
    );
    expect(isLeft(out)).toBe(true);
    expect(s.index.calls).toEqual(['add 4', 'abandon']);
    expect(await s.index.pending()).toEqual([]);
  });

  it('abandons the keys when the landing fails before its register', async () => {
    const s = setup();
    const put = s.objects.put.bind(s.objects);
    // the file's verdict report cannot be written (the staged copy is put after the register,
    // which a re-run answers again: see LandFile)
    s.objects.put = async (key, body) => {
      if (key.startsWith('reports/')) throw new Error('disk full');
      return put(key, body);
    };
    await expect(
      s.put('incoming/orders/o.csv', ORDERS_H, '1,u1,delivered,2025-03-01T00:00:00,,,,1'),
    ).rejects.toThrow('disk full');
    expect(s.index.calls).toEqual(['add 2', 'abandon']);
    expect(await s.index.pending()).toEqual([]);
  });
});
