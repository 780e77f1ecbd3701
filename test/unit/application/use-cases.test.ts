// Use cases over the in-memory adapters: policies, rejection of non-CSV input, idempotent
// workflow steps, the dispatcher's checkpoint, stale orders and the failure path.
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { DispatchGroups } from '../../../src/application/dispatch-groups.use-case.js';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import type { ReportStale } from '../../../src/application/report-stale.use-case.js';
import { ManualClock } from '../../../src/adapters/in-memory/manual-clock.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { pipelineAppOf } from '../../../src/entrypoints/composition/pipeline-app.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { EVENT_STORE, type EventStore } from '../../../src/ports/event-store.port.js';
import { KPI_STORE, type KpiStore } from '../../../src/ports/kpi-store.port.js';
import { OBJECT_STORE, type ObjectStore } from '../../../src/ports/object-store.port.js';
import { TASK_RUNNER, type TaskRunner } from '../../../src/ports/task-runner.port.js';
import type { LandingPolicy } from '../../../src/application/land-file.use-case.js';
import { Sha256Hasher } from '../../../src/adapters/node/sha256-hasher.js';
import {
  decodeManifest,
  encodeManifestCompact,
  groupIdSource,
  manifestKeyFor,
} from '../../../src/domain/group-manifest.codec.js';

const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS_H =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
const PRODUCTS_H = 'id,sku,cost,category,name,brand,retail_price,department';

const setup = (policy?: LandingPolicy) => {
  const clock = new ManualClock(Date.UTC(2025, 3, 1));
  const container = buildInMemoryContainer({ clock, ...(policy ? { policy } : {}) });
  const objects = container.get<ObjectStore>(OBJECT_STORE);
  const events = container.get<EventStore>(EVENT_STORE);
  const land = container.get<LandFile>(TOKENS.LandFile);
  const put = async (key: string, ...lines: string[]) => {
    await objects.put(key, lines.join('\n'));
    return land.execute(key);
  };
  const app = pipelineAppOf(container, [], async () => {});
  return { clock, container, objects, events, land, put, app };
};

const landComplete = async (s: ReturnType<typeof setup>) => {
  await s.put('incoming/products/p.csv', PRODUCTS_H, 'p1,S,1.00,Toys,Ball,Acme,2.00,Kids');
  await s.put('incoming/orders/o.csv', ORDERS_H, '1,u1,delivered,2025-03-01T00:00:00,,,,1');
  return s.put('incoming/order_items/i.csv', ITEMS_H, 'i1,1,u1,p1,delivered,,,,,3.50');
};

describe('LandFile', () => {
  it('writes the manifest (in parts) as the bytes of encodeManifestCompact, under the id hashed from groupIdSource', async () => {
    const s = setup();
    const out = await landComplete(s);
    const groupId = isRight(out) && out.right._tag === 'Landed' ? out.right.groups[0]?.groupId : '';
    const bytes = await s.objects.get(manifestKeyFor(groupId ?? ''));
    const text = new TextDecoder().decode(bytes ?? new Uint8Array());
    const manifest = decodeManifest(text);
    if (isLeft(manifest)) throw new Error(manifest.left.message);
    expect(encodeManifestCompact(manifest.right)).toBe(text);
    const landed = (await s.events.readAll(0)).filter((e) => e.type === 'FileLanded').at(-1);
    const stagedKey = (landed?.data as { stagedKey: string }).stagedKey;
    expect(groupId).toBe(
      new Sha256Hasher().hash(groupIdSource(stagedKey, manifest.right.completions)),
    );
  });

  it('under quarantine-rows lands the good rows and sets the bad ones aside', async () => {
    const s = setup('quarantine-rows');
    const out = await s.put(
      'incoming/orders/o.csv',
      ORDERS_H,
      '1,u1,delivered,2025-03-01T08:00:00,,,,1',
      '2,u2,bogus,2025-03-01T08:00:00,,,,1',
    );
    expect(isRight(out) && out.right).toMatchObject({
      _tag: 'Landed',
      rows: 1,
      quarantinedRows: 1,
    });
    const quarantine = (await s.objects.list('quarantine/'))[0];
    const text = new TextDecoder().decode(
      (await s.objects.get(quarantine?.key ?? '')) ?? new Uint8Array(),
    );
    expect(text).toContain('2,u2,bogus');
    expect(text).toContain('domain.order-status');
    expect((await s.app.status()).pending.map((p) => p.orderId)).toEqual(['1']);
  });

  it('rejects a file that is not CSV text, naming what is wrong, and stages nothing', async () => {
    const s = setup();
    const out = await s.put('incoming/x.csv', 'hello,world', '1,2');
    expect(isLeft(out) && out.left.reason).toMatch(/header|column/i);
    expect(await s.objects.list('staging/')).toEqual([]);
    const log = await s.events.readAll(0);
    expect(log.map((e) => e.type)).toEqual(['FileRejected']);
  });

  it('refuses a header that disagrees with the incoming/<dataset>/ prefix', async () => {
    const s = setup();
    const out = await s.put(
      'incoming/products/o.csv',
      ORDERS_H,
      '1,u1,delivered,2025-03-01T08:00:00,,,,1',
    );
    expect(isLeft(out)).toBe(true);
  });
});

describe('workflow steps and the dispatcher', () => {
  it('repeated steps append nothing; the dispatcher starts only unfinished groups', async () => {
    const s = setup();
    const landed = await landComplete(s);
    const groupId = isRight(landed) ? landed.right.groups[0]?.groupId : undefined;
    expect(groupId).toBeDefined();
    const dispatch = s.container.get<DispatchGroups>(TOKENS.DispatchGroups);
    expect(await dispatch.execute()).toEqual([groupId]);
    const after = await s.events.readAll(0);
    expect(after.map((e) => e.type).slice(-4)).toEqual([
      'Validated',
      'FactsReplaced',
      'Transformed',
      'Archived',
    ]);

    expect(await dispatch.execute()).toEqual([]);
    const tasks = s.container.get<TaskRunner>(TASK_RUNNER);
    const input = { groupId: groupId as string, manifestKey: `groups/${groupId}/manifest.json` };
    for (const task of ['validate', 'transform', 'archive'] as const) {
      expect((await tasks.run(task, input)).ok).toBe(true);
    }
    // where the dispatcher stands is a fold of the log: an archived group is never started again
    expect(await dispatch.execute()).toEqual([]);
    expect(await s.events.readAll(0)).toEqual(after);
  });

  it('a group whose manifest is gone fails once (no retries of a data error) and records TransformFailed', async () => {
    const s = setup();
    const landed = await landComplete(s);
    const groupId = isRight(landed) ? (landed.right.groups[0]?.groupId as string) : '';
    await s.objects.delete(`groups/${groupId}/manifest.json`);
    await s.container.get<DispatchGroups>(TOKENS.DispatchGroups).execute();
    const groupEvents = await s.events.readStream(`group-${groupId}`);
    expect(groupEvents.map((e) => e.type)).toEqual(['GroupCompleted', 'TransformFailed']);
    expect(groupEvents[1]?.type === 'TransformFailed' && groupEvents[1].data.error).toMatch(
      /no group manifest/,
    );
  });
});

describe('DeliverFile', () => {
  it('never overwrites an earlier file of the same name, in incoming/ or archive/', async () => {
    const s = setup();
    const enc = (t: string) => new TextEncoder().encode(t);
    const first = await s.app.deliver(
      'o.csv',
      enc(`${ORDERS_H}\n1,u1,delivered,2025-03-01T08:00:00,,,,1\n`),
      'orders',
    );
    const second = await s.app.deliver(
      'o.csv',
      enc(`${ORDERS_H}\n2,u2,delivered,2025-03-01T08:00:00,,,,1\n`),
      'orders',
    );
    const keys = [first, second].map((r) => (isRight(r) ? r.right.fileKey : ''));
    expect(keys[0]).toBe('incoming/orders/o.csv');
    expect(keys[1]).toMatch(/^incoming\/orders\/o\.[0-9a-f]{12}\.csv$/);
    await s.objects.copy('incoming/orders/o.csv', 'archive/orders/o.csv');
    await s.objects.delete('incoming/orders/o.csv');
    const third = await s.app.deliver(
      'o.csv',
      enc(`${ORDERS_H}\n3,u3,delivered,2025-03-01T08:00:00,,,,1\n`),
      'orders',
    );
    expect(isRight(third) && third.right.fileKey).not.toBe('incoming/orders/o.csv');
  });
});

describe('DeliverFile after a run killed between forming a group and FileLanded', () => {
  it('records the landing and leaves the file in archive/, where its group put it', async () => {
    const s = setup();
    const enc = (t: string) => new TextEncoder().encode(t);
    const products = enc(`${PRODUCTS_H}\np1,S,1.00,Toys,Ball,Acme,2.00,Kids\n`);
    // the state such a run leaves: the file archived by its group's workflow, no FileLanded
    await s.objects.put('archive/products/p.csv', products);
    const again = await s.app.deliver('p.csv', products, 'products');
    expect(isRight(again) && again.right).toMatchObject({
      _tag: 'Landed',
      fileKey: 'incoming/products/p.csv',
    });
    expect(await s.objects.get('incoming/products/p.csv')).toBeNull();
    expect(await s.objects.get('archive/products/p.csv')).toEqual(products);
    const types = (await s.events.readAll(0, 100)).map((e) => e.type);
    expect(types).toContain('FileLanded');
    // a different file of that name is still kept apart, in incoming/
    const other = enc(`${PRODUCTS_H}\np2,S,1.00,Toys,Ball,Acme,2.00,Kids\n`);
    const third = await s.app.deliver('p.csv', other, 'products');
    const key = isRight(third) ? third.right.fileKey : '';
    expect(key).toMatch(/^incoming\/products\/p\.[0-9a-f]{12}\.csv$/);
    expect(await s.objects.get(key)).toEqual(other);
  });
});

describe('DeliverFile, streamed', () => {
  it('lands a streamed file reading the bucket copy once, and knows a re-delivery', async () => {
    const s = setup();
    const text = `${ORDERS_H}\n1,u1,delivered,2025-03-01T08:00:00,,,,1\n`;
    // handed over in small chunks, as a file read from disk
    const content = () =>
      (async function* () {
        const bytes = new TextEncoder().encode(text);
        for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
      })();
    const reads: string[] = [];
    const getStream = s.objects.getStream.bind(s.objects);
    // a read counts when the object exists (the name check probes an absent key first)
    s.objects.getStream = async function* (key) {
      let first = true;
      for await (const chunk of getStream(key)) {
        if (first) reads.push(key);
        first = false;
        yield chunk;
      }
    };
    const first = await s.app.deliver('o.csv', content, 'orders');
    expect(isRight(first) && first.right).toMatchObject({ _tag: 'Landed', rows: 1 });
    const stored = await s.objects.get('incoming/orders/o.csv');
    expect(new TextDecoder().decode(stored ?? new Uint8Array())).toBe(text);
    // decoded once; no second read only to hash it
    expect(reads.filter((k) => k === 'incoming/orders/o.csv')).toHaveLength(1);
    const again = await s.app.deliver('o-copy.csv', content, 'orders');
    expect(isRight(again) && again.right._tag).toBe('Duplicate');
    expect(await s.objects.get('incoming/orders/o-copy.csv')).toBeNull();
  });
});

describe('ValidateGroup', () => {
  it('fails a group whose staged rows were altered after landing (defence in depth)', async () => {
    const s = setup();
    await s.put('incoming/orders/other.csv', ORDERS_H, '9,u9,delivered,2025-03-01T08:00:00,,,,1');
    const landed = await landComplete(s);
    const groupId = isRight(landed) ? (landed.right.groups[0]?.groupId as string) : '';
    const [other, mine] = [...(await s.objects.list('staging/orders/'))].map((o) => o.key);
    const stagedOrders = (await s.events.readAll(0)).find(
      (e) => e.type === 'FileLanded' && e.data.fileKey === 'incoming/orders/o.csv',
    );
    const target = stagedOrders?.type === 'FileLanded' ? stagedOrders.data.stagedKey : '';
    const replacement = target === mine ? other : mine;
    await s.objects.put(target, (await s.objects.get(replacement as string)) as Uint8Array);
    await s.container.get<DispatchGroups>(TOKENS.DispatchGroups).execute();
    const types = (await s.events.readStream(`group-${groupId}`)).map((e) => e.type);
    expect(types).toEqual(['GroupCompleted', 'ValidationFailed']);
    expect((await s.app.kpis()).order).toEqual([]);
  });
});

describe('TransformGroup', () => {
  it('after a failure between facts and KPIs, a retry still recomputes the date an order left', async () => {
    const s = setup();
    await landComplete(s);
    const dispatch = s.container.get<DispatchGroups>(TOKENS.DispatchGroups);
    await dispatch.execute();
    expect((await s.app.kpis()).order.map((k) => k.order_date)).toEqual(['2025-03-01']);

    // the order moves to another day; the first KPI write fails after the facts were replaced
    const kpis = s.container.get<KpiStore>(KPI_STORE);
    const replaceDates = kpis.replaceDates.bind(kpis);
    let failures = 1;
    kpis.replaceDates = async (dates, set) => {
      if (failures-- > 0) throw new Error('disk full');
      return replaceDates(dates, set);
    };
    const moved = await s.put(
      'incoming/orders/o2.csv',
      ORDERS_H,
      '1,u1,delivered,2025-03-04T08:00:00,,,,1',
    );
    const groupId = isRight(moved) ? (moved.right.groups[0]?.groupId as string) : '';
    const tasks = s.container.get<TaskRunner>(TASK_RUNNER);
    const input = { groupId, manifestKey: `groups/${groupId}/manifest.json` };
    await tasks.run('validate', input);
    await expect(tasks.run('transform', input)).rejects.toThrow('disk full');
    await tasks.run('transform', input);
    expect((await s.app.kpis()).order.map((k) => k.order_date)).toEqual(['2025-03-04']);
  });
});

describe('ReportStale', () => {
  it('reports pending orders older than 24 h once per change', async () => {
    const s = setup();
    await s.put('incoming/orders/o.csv', ORDERS_H, '1,u1,delivered,2025-03-01T08:00:00,,,,2');
    const stale = s.container.get<ReportStale>(TOKENS.ReportStale);
    expect(await stale.execute()).toEqual([]);
    s.clock.advance(25 * 3_600_000);
    expect(await stale.execute()).toEqual(['1']);
    expect(await stale.execute()).toEqual(['1']);
    const reports = await s.events.readStream('stale-orders');
    expect(reports.map((e) => e.type === 'OrdersStale' && e.data.orderIds)).toEqual([['1']]);
  });
});
