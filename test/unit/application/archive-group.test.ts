// Archive moves raw files inside the store (copy + delete), never reading them through the
// process (an S3 GetObject of a 1 GB file in a 512 MB Lambda), and archives products files too.
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { ArchiveGroup } from '../../../src/application/archive-group.use-case.js';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { EVENT_STORE, type EventStore } from '../../../src/ports/event-store.port.js';
import { OBJECT_STORE, type ObjectStore } from '../../../src/ports/object-store.port.js';
import { TASK_RUNNER, type TaskRunner } from '../../../src/ports/task-runner.port.js';

const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS_H =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
const PRODUCTS_H = 'id,sku,cost,category,name,brand,retail_price,department';

describe('ArchiveGroup', () => {
  it('moves orders, items and products files without reading them, and again finds them moved', async () => {
    const container = buildInMemoryContainer();
    const objects = container.get<ObjectStore>(OBJECT_STORE);
    const land = container.get<LandFile>(TOKENS.LandFile);
    const drop = async (key: string, ...lines: string[]) => {
      await objects.put(key, lines.join('\n'));
      return land.execute(key);
    };
    await drop('incoming/products/p.csv', PRODUCTS_H, 'p1,S,1.00,Toys,Ball,Acme,2.00,Kids');
    await drop('incoming/orders/o.csv', ORDERS_H, '1,u1,delivered,2025-03-01T00:00:00,,,,1');
    const landed = await drop(
      'incoming/order_items/i.csv',
      ITEMS_H,
      'i1,1,u1,p1,delivered,,,,,3.50',
    );
    const groupId = isRight(landed) ? (landed.right.groups[0]?.groupId ?? '') : '';
    const [completed] = await container.get<EventStore>(EVENT_STORE).readStream(`group-${groupId}`);
    const manifestKey = completed?.type === 'GroupCompleted' ? completed.data.manifestKey : '';
    const tasks = container.get<TaskRunner>(TASK_RUNNER);
    await tasks.run('validate', { groupId, manifestKey });
    await new Promise((resolve) => setImmediate(resolve)); // the hint is not waited for
    await tasks.run('transform', { groupId, manifestKey });

    const reads: string[] = [];
    const get = objects.get.bind(objects);
    objects.get = async (key) => (reads.push(key), get(key));
    const getStream = objects.getStream.bind(objects);
    objects.getStream = (key) => (reads.push(key), getStream(key));
    const result = await tasks.run('archive', { groupId, manifestKey });
    expect(result.ok).toBe(true);
    expect(reads.filter((k) => k.startsWith('incoming/'))).toEqual([]);
    expect((await objects.list('incoming/')).map((o) => o.key)).toEqual([]);
    expect((await objects.list('archive/')).map((o) => o.key)).toEqual([
      'archive/order_items/i.csv',
      'archive/orders/o.csv',
      'archive/products/p.csv',
    ]);
    // a repeated Archive (the state retried after a timeout) finds the files gone: still done
    expect((await tasks.run('archive', { groupId, manifestKey })).ok).toBe(true);
  });
});

describe('ArchiveGroup.prepare', () => {
  it("Validate hints the copies Archive will make, before it runs; a store without hints isn't read", async () => {
    const container = buildInMemoryContainer();
    const objects = container.get<ObjectStore>(OBJECT_STORE);
    const land = container.get<LandFile>(TOKENS.LandFile);
    const drop = async (key: string, ...lines: string[]) => {
      await objects.put(key, lines.join('\n'));
      return land.execute(key);
    };
    await drop('incoming/products/p.csv', PRODUCTS_H, 'p1,S,1.00,Toys,Ball,Acme,2.00,Kids');
    await drop('incoming/orders/o.csv', ORDERS_H, '1,u1,delivered,2025-03-01T00:00:00,,,,1');
    const landed = await drop(
      'incoming/order_items/i.csv',
      ITEMS_H,
      'i1,1,u1,p1,delivered,,,,,3.50',
    );
    const groupId = isRight(landed) ? (landed.right.groups[0]?.groupId ?? '') : '';
    const [completed] = await container.get<EventStore>(EVENT_STORE).readStream(`group-${groupId}`);
    const manifestKey = completed?.type === 'GroupCompleted' ? completed.data.manifestKey : '';
    const tasks = container.get<TaskRunner>(TASK_RUNNER);

    // the in-memory store takes no hints: prepare reads nothing
    const reads: string[] = [];
    const get = objects.get.bind(objects);
    objects.get = async (key) => (reads.push(key), get(key));
    const getStream = objects.getStream.bind(objects);
    objects.getStream = (key) => (reads.push(key), getStream(key));
    await container.get<ArchiveGroup>(TOKENS.ArchiveGroup).prepare({ groupId, manifestKey });
    expect(reads).toEqual([]);

    const hinted: [string, string][] = [];
    objects.prepareCopy = (from, to) => hinted.push([from, to]);
    await tasks.run('validate', { groupId, manifestKey });
    await new Promise((resolve) => setImmediate(resolve)); // the hint is not waited for
    expect(hinted).toEqual([
      ['incoming/order_items/i.csv', 'archive/order_items/i.csv'],
      ['incoming/orders/o.csv', 'archive/orders/o.csv'],
      ['incoming/products/p.csv', 'archive/products/p.csv'],
    ]);
    // a hint changes nothing: the moves are Archive's, as always
    await tasks.run('transform', { groupId, manifestKey });
    expect((await tasks.run('archive', { groupId, manifestKey })).ok).toBe(true);
    expect((await objects.list('archive/')).map((o) => o.key)).toEqual([
      'archive/order_items/i.csv',
      'archive/orders/o.csv',
      'archive/products/p.csv',
    ]);
  });
});
