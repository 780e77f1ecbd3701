// LandFile stores the landed file's staged object as soon as it is encoded, during the register's
// wait (not after its answer, where the manifest is written and the register's worker commits).
// No event names it before the commit; a register that fails fails the landing only once that
// put has settled (a retry never races it), with nothing appended, and the landing run again
// lands as if the failed one never was.
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import { InMemoryReferenceIndex } from '../../../src/adapters/in-memory/in-memory-reference-index.js';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import type { CompletionColumns } from '../../../src/domain/completion-columns.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { EVENT_STORE, type EventStore } from '../../../src/ports/event-store.port.js';
import { OBJECT_STORE, type ObjectBody } from '../../../src/ports/object-store.port.js';
import { REFERENCE_INDEX, type LandingKeys } from '../../../src/ports/reference-index.port.js';

const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS_H =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
const PRODUCTS_H = 'id,sku,cost,category,name,brand,retail_price,department';
const ITEMS_KEY = 'incoming/order_items/i.csv';
const ITEM_ROW = 'i1,1,u1,p1,delivered,,,,,3.50';

/** logs every put (by the key's first segment), and when the items' staged object is stored */
class LoggingStore extends InMemoryObjectStore {
  readonly log: string[] = [];
  private stagedItems: () => void = () => undefined;
  /** resolves once the items' staged object is stored */
  itemsStaged = new Promise<void>((resolve) => (this.stagedItems = resolve));

  override async put(key: string, body: ObjectBody): Promise<void> {
    await super.put(key, body);
    this.log.push(`put ${key.split('/')[0]}`);
    if (key.startsWith('staging/order_items/')) this.stagedItems();
  }
}

/**
 * The items' register answers once their staged object is stored (a slow register on a worker),
 * or after a second without it (a landing that put it only after the answer), and says which.
 * `fail`: it then fails.
 */
class WaitingIndex extends InMemoryReferenceIndex {
  waitFor: Promise<void> | null = null;
  fail = false;
  readonly log: string[] = [];

  override async register(landing: LandingKeys, now: number): Promise<CompletionColumns> {
    if (this.waitFor !== null && landing.dataset === 'order_items') {
      const gaveUp = new Promise<string>((resolve) =>
        setTimeout(() => resolve('register answers, nothing staged'), 1000).unref(),
      );
      const staged = this.waitFor.then(() => 'register answers');
      this.log.push(await Promise.race([staged, gaveUp]));
      if (this.fail) throw new Error('register failed');
    }
    return super.register(landing, now);
  }
}

const setup = () => {
  const container = buildInMemoryContainer();
  const objects = new LoggingStore();
  const index = new WaitingIndex();
  container.rebind(OBJECT_STORE).toConstantValue(objects);
  container.rebind(REFERENCE_INDEX).toConstantValue(index);
  const land = container.get<LandFile>(TOKENS.LandFile);
  const events = container.get<EventStore>(EVENT_STORE);
  const put = async (key: string, ...lines: string[]) => {
    await objects.put(key, lines.join('\n'));
    return land.execute(key);
  };
  const landShop = async () => {
    await put('incoming/products/p.csv', PRODUCTS_H, 'p1,S,1.00,Toys,Ball,Acme,2.00,Kids');
    await put('incoming/orders/o.csv', ORDERS_H, '1,u1,delivered,2025-03-01T00:00:00,,,,1');
    index.waitFor = objects.itemsStaged;
    objects.log.length = 0;
  };
  const eventTypes = async () => (await events.readAll(0)).map((e) => e.type);
  /** the items landed one group: staged object, then manifest; FileLanded after GroupCompleted */
  const expectOneGroupLanded = async (out: Awaited<ReturnType<typeof put>>) => {
    expect(isRight(out) && out.right._tag === 'Landed' && out.right.groups.length).toBe(1);
    expect(objects.log).toEqual(['put incoming', 'put reports', 'put staging', 'put groups']);
    expect(await eventTypes()).toEqual([
      'FileLanded',
      'FileLanded',
      'GroupCompleted',
      'FileLanded',
    ]);
  };
  return { objects, index, put, landShop, eventTypes, expectOneGroupLanded };
};

describe('LandFile stores the staged object during the register', () => {
  it('puts the staged object before the register answers, and the manifest after', async () => {
    const s = setup();
    await s.landShop();
    await s.expectOneGroupLanded(await s.put(ITEMS_KEY, ITEMS_H, ITEM_ROW));
    expect(s.index.log).toEqual(['register answers']);
  });

  it('a failed register appends nothing; the landing run again lands the file', async () => {
    const s = setup();
    await s.landShop();
    s.index.fail = true;
    await expect(s.put(ITEMS_KEY, ITEMS_H, ITEM_ROW)).rejects.toThrow('register failed');
    // the staged object was stored (content-named, named by no event); no manifest was written
    expect(s.objects.log).toEqual(['put incoming', 'put reports', 'put staging']);
    expect(await s.eventTypes()).toEqual(['FileLanded', 'FileLanded']);

    s.index.fail = false;
    s.objects.log.length = 0;
    await s.expectOneGroupLanded(await s.put(ITEMS_KEY, ITEMS_H, ITEM_ROW));
  });

  it('a register that fails before the staged put ends fails the landing after it', async () => {
    const s = setup();
    await s.landShop();
    // the register fails at once; the staged put is held until a moment later
    s.index.waitFor = Promise.resolve();
    s.index.fail = true;
    let releaseStaged: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (releaseStaged = resolve));
    const put = s.objects.put.bind(s.objects);
    s.objects.put = async (key: string, body: ObjectBody) => {
      if (key.startsWith('staging/order_items/')) {
        setTimeout(releaseStaged, 20);
        await held;
      }
      return put(key, body);
    };
    await expect(s.put(ITEMS_KEY, ITEMS_H, ITEM_ROW)).rejects.toThrow('register failed');
    // the staged put had ended when the landing failed: a retry never races it
    expect(s.objects.log).toEqual(['put incoming', 'put reports', 'put staging']);
    expect(await s.eventTypes()).toEqual(['FileLanded', 'FileLanded']);
  });
});
