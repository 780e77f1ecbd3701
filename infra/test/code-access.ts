// What the code really does to the bucket, per principal: the pipeline runs in memory with a
// recording object store, each stage under the principal that runs it in AWS (LandFile in the
// ingest Lambda, Validate and Transform in the ECS task, Archive and RecordFailure in the
// workflow-task Lambda). The least-privilege test checks the grants against this, not against a
// list written by hand that drifts when the code changes.
import { isRight } from 'fp-ts/lib/Either.js';
import type { LandFile } from '../../src/application/land-file.use-case.js';
import { buildInMemoryContainer } from '../../src/entrypoints/composition/in-memory.container.js';
import { bindAnalytics } from '../../src/entrypoints/composition/local-analytics.js';
import { TOKENS } from '../../src/entrypoints/composition/tokens.js';
import { OBJECT_STORE, type ObjectStore } from '../../src/ports/object-store.port.js';
import { TASK_RUNNER, type TaskRunner } from '../../src/ports/task-runner.port.js';
import type { BUCKET_ACCESS } from '../lib/layout.js';

export type Principal = keyof typeof BUCKET_ACCESS;
export type Access = 'read' | 'put' | 'delete';
export type CodeAccess = Record<Principal, Record<Access, Set<string>>>;

const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS_H =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
const PRODUCTS_H = 'id,sku,cost,category,name,brand,retail_price,department';

const record = (store: ObjectStore, log: (access: Access, key: string) => void): void => {
  const wrap = <K extends keyof ObjectStore>(name: K, access: Access, keyArgs: number[]) => {
    const original = (store[name] as (...args: unknown[]) => unknown).bind(store);
    (store as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      keyArgs.forEach((i) => log(i === 0 && name === 'copy' ? 'read' : access, String(args[i])));
      return original(...args);
    };
  };
  wrap('get', 'read', [0]);
  wrap('getStream', 'read', [0]);
  wrap('list', 'read', [0]);
  wrap('put', 'put', [0]);
  wrap('putIfAbsent', 'put', [0]);
  wrap('copy', 'put', [0, 1]);
  wrap('delete', 'delete', [0]);
};

/** runs landing and every workflow stage once (one group through, one failure recorded) */
export const codeAccess = async (): Promise<CodeAccess> => {
  const container = buildInMemoryContainer({ policy: 'quarantine-rows' });
  const objects = container.get<ObjectStore>(OBJECT_STORE);
  const access = {} as CodeAccess;
  let principal: Principal = 'ingest';
  record(objects, (kind, key) => {
    access[principal] ??= { read: new Set(), put: new Set(), delete: new Set() };
    access[principal][kind].add(key);
  });
  bindAnalytics(container, objects);
  const land = container.get<LandFile>(TOKENS.LandFile);
  const drop = async (key: string, ...lines: string[]) => {
    await objects.put(key, lines.join('\n')); // the uploader's write, no principal of ours
    access.ingest.put.delete(key);
    return land.execute(key);
  };
  await drop('incoming/products/p.csv', PRODUCTS_H, 'p1,S,1.00,Toys,Ball,Acme,2.00,Kids');
  await drop(
    'incoming/orders/o.csv',
    ORDERS_H,
    '1,u1,delivered,2025-03-01T00:00:00,,,,1',
    '2,u2,bogus,2025-03-01T00:00:00,,,,1', // quarantined row
  );
  const landed = await drop('incoming/order_items/i.csv', ITEMS_H, 'i1,1,u1,p1,delivered,,,,,3.50');
  const group = isRight(landed) ? landed.right.groups[0] : undefined;
  if (group === undefined) throw new Error('the sample did not complete a group');
  const input = { groupId: group.groupId, manifestKey: `groups/${group.groupId}/manifest.json` };
  const tasks = container.get<TaskRunner>(TASK_RUNNER);
  principal = 'task';
  await tasks.run('validate', input);
  await tasks.run('transform', input);
  principal = 'workflowTask';
  await tasks.run('archive', input);
  await tasks.run('record-failure', { ...input, error: 'States.TaskFailed: exit 1' });
  return access;
};
