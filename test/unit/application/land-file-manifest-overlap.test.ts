// LandFile stores the landed file's staged object while it makes and writes the group's manifest
// (the staged put is mostly a wait for the disk); both are stored before any event names them,
// and a failure of either fails the landing only once the other has settled.
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { EVENT_STORE, type EventStore } from '../../../src/ports/event-store.port.js';
import { OBJECT_STORE, type ObjectBody } from '../../../src/ports/object-store.port.js';

const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS_H =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
const PRODUCTS_H = 'id,sku,cost,category,name,brand,retail_price,department';

const ITEMS_STAGED = /^staging\/order_items\//;

/**
 * The items' staged put is held until `release` (a slow disk); what was put, and when, is logged.
 * `failStaged`: that put fails once released.
 */
class SlowStagedStore extends InMemoryObjectStore {
  readonly log: string[] = [];
  private gate: (() => void) | null = null;
  holding = false;
  failStaged = false;

  release(): void {
    this.gate?.();
  }

  override async put(key: string, body: ObjectBody): Promise<void> {
    if (ITEMS_STAGED.test(key) && this.holding) {
      this.log.push(`start ${key.split('/')[0]}`);
      await new Promise<void>((resolve) => (this.gate = resolve));
      if (this.failStaged) {
        this.log.push('staged failed');
        throw new Error('disk full');
      }
    }
    await super.put(key, body);
    this.log.push(`put ${key.split('/')[0]}`);
    // the manifest is stored: the disk lets the staged object through
    if (key.startsWith('groups/')) this.release();
  }
}

const setup = () => {
  const container = buildInMemoryContainer();
  const objects = new SlowStagedStore();
  container.rebind(OBJECT_STORE).toConstantValue(objects);
  const land = container.get<LandFile>(TOKENS.LandFile);
  const events = container.get<EventStore>(EVENT_STORE);
  const put = async (key: string, ...lines: string[]) => {
    await objects.put(key, lines.join('\n'));
    return land.execute(key);
  };
  return { objects, events, put };
};

const landUpToItems = async (s: ReturnType<typeof setup>) => {
  await s.put('incoming/products/p.csv', PRODUCTS_H, 'p1,S,1.00,Toys,Ball,Acme,2.00,Kids');
  await s.put('incoming/orders/o.csv', ORDERS_H, '1,u1,delivered,2025-03-01T00:00:00,,,,1');
  s.objects.holding = true;
  s.objects.log.length = 0;
};

const eventTypes = async (events: EventStore) => (await events.readAll(0)).map((e) => e.type);

describe('LandFile stores the staged object while it writes the manifest', () => {
  it('writes the manifest while the staged put waits, and appends events after both', async () => {
    const s = setup();
    await landUpToItems(s);
    // without the overlap the landing would wait for the staged put before the manifest, and
    // this store holds the staged put until the manifest is stored: it would never end
    const out = await s.put('incoming/order_items/i.csv', ITEMS_H, 'i1,1,u1,p1,delivered,,,,,3.50');
    expect(isRight(out) && out.right._tag === 'Landed' && out.right.groups.length).toBe(1);
    expect(s.objects.log).toEqual([
      'put incoming',
      'put reports',
      'start staging',
      'put groups',
      'put staging',
    ]);
    expect(await eventTypes(s.events)).toEqual([
      'FileLanded',
      'FileLanded',
      'GroupCompleted',
      'FileLanded',
    ]);
  });

  it('fails the landing, with no event, when the staged put fails after the manifest', async () => {
    const s = setup();
    await landUpToItems(s);
    s.objects.failStaged = true;
    await expect(
      s.put('incoming/order_items/i.csv', ITEMS_H, 'i1,1,u1,p1,delivered,,,,,3.50'),
    ).rejects.toThrow('disk full');
    expect(s.objects.log).toEqual([
      'put incoming',
      'put reports',
      'start staging',
      'put groups',
      'staged failed',
    ]);
    expect(await eventTypes(s.events)).toEqual(['FileLanded', 'FileLanded']);
  });

  it('when the manifest write fails, waits for the staged put to settle before failing', async () => {
    const s = setup();
    await landUpToItems(s);
    const manifestPut = s.objects.put.bind(s.objects);
    s.objects.put = async (key: string, body: ObjectBody) => {
      if (!key.startsWith('groups/')) return manifestPut(key, body);
      // the disk lets the staged object through a moment after the manifest failed
      setTimeout(() => s.objects.release(), 20);
      throw new Error('manifest write failed');
    };
    await expect(
      s.put('incoming/order_items/i.csv', ITEMS_H, 'i1,1,u1,p1,delivered,,,,,3.50'),
    ).rejects.toThrow('manifest write failed');
    // the staged put had ended when the landing failed: a retry never races it
    expect(s.objects.log).toEqual(['put incoming', 'put reports', 'start staging', 'put staging']);
    expect(await eventTypes(s.events)).toEqual(['FileLanded', 'FileLanded']);
  });
});
