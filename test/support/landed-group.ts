// One small group (a product, an order, its item) landed over the in-memory adapters: the
// arrangement of tests that run a group's workflow tasks by hand.
import { isRight } from 'fp-ts/lib/Either.js';
import type { LandFile } from '../../src/application/land-file.use-case.js';
import { buildInMemoryContainer } from '../../src/entrypoints/composition/in-memory.container.js';
import { TOKENS } from '../../src/entrypoints/composition/tokens.js';
import { EVENT_STORE, type EventStore } from '../../src/ports/event-store.port.js';
import { OBJECT_STORE, type ObjectStore } from '../../src/ports/object-store.port.js';
import { TASK_RUNNER, type TaskRunner } from '../../src/ports/task-runner.port.js';

const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS_H =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
const PRODUCTS_H = 'id,sku,cost,category,name,brand,retail_price,department';

/** the group's task input is read from its GroupCompleted event, as the workflow gets it */
export const landedGroup = async () => {
  const container = buildInMemoryContainer();
  const objects = container.get<ObjectStore>(OBJECT_STORE);
  const land = container.get<LandFile>(TOKENS.LandFile);
  const drop = async (key: string, ...lines: string[]) => {
    await objects.put(key, lines.join('\n'));
    return land.execute(key);
  };
  await drop('incoming/products/p.csv', PRODUCTS_H, 'p1,S,1.00,Toys,Ball,Acme,2.00,Kids');
  await drop('incoming/orders/o.csv', ORDERS_H, '1,u1,delivered,2025-03-01T00:00:00,,,,1');
  const landed = await drop('incoming/order_items/i.csv', ITEMS_H, 'i1,1,u1,p1,delivered,,,,,3.50');
  const groupId = isRight(landed) ? (landed.right.groups[0]?.groupId ?? '') : '';
  const [completed] = await container.get<EventStore>(EVENT_STORE).readStream(`group-${groupId}`);
  const manifestKey = completed?.type === 'GroupCompleted' ? completed.data.manifestKey : '';
  const reads: string[] = [];
  /** from now on, every key read through the store is logged in `reads` */
  const recordReads = (): void => {
    const get = objects.get.bind(objects);
    objects.get = async (key) => (reads.push(key), get(key));
    const getStream = objects.getStream.bind(objects);
    objects.getStream = (key) => (reads.push(key), getStream(key));
  };
  const tasks = container.get<TaskRunner>(TASK_RUNNER);
  return { container, objects, tasks, task: { groupId, manifestKey }, reads, recordReads };
};
