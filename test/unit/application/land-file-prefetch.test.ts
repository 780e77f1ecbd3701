// LandFile decodes the staged files of its recent landings ahead while an items landing's
// register runs beside its thread (an index that took the keys batch by batch), and the group's
// Validate takes them instead of decoding them again. With the register inline nothing is decoded
// ahead, nor for a landing of another dataset (which the next landing would drop). A set
// decoded ahead and not used is let go: when the landing forms no group, when the next landing
// starts, and when a group's load names other files (V8MemoryReclaim really collects).
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { InMemoryReferenceIndex } from '../../../src/adapters/in-memory/in-memory-reference-index.js';
import { V8MemoryReclaim } from '../../../src/adapters/node/v8-memory-reclaim.js';
import { ParquetStagingCodec } from '../../../src/adapters/parquet/parquet-staging-codec.js';
import { readManifest } from '../../../src/application/group-manifest-reader.js';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import { StagedFilePrefetch } from '../../../src/application/staged-file-prefetch.js';
import { stagedRowRulesWith } from '../../../src/application/staged-row-rules.js';
import type { StagedRows } from '../../../src/application/staged-rows.js';
import { gatheringStaging } from '../../../src/application/landing-keys.js';
import { stringColumn } from '../../../src/domain/group-data.js';
import { SEED_RULES } from '../../../src/domain/validation/rules-config.codec.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { OBJECT_STORE, type ObjectStore } from '../../../src/ports/object-store.port.js';
import {
  REFERENCE_INDEX,
  type DatasetName,
  type LandingStaging,
} from '../../../src/ports/reference-index.port.js';
import { STAGING_CODEC, type StagingCodec } from '../../../src/ports/staging-codec.port.js';
import { countingCodec } from './counting-codec.js';

const PRODUCTS = 'id,sku,cost,category,name,brand,retail_price,department';
const ORDERS = 'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';

/**
 * the in-memory index taking keys batch by batch, as the local index's worker does, and answering
 * a moment later (as the worker does after its last batch): the decodes ahead start meanwhile
 */
class BesideIndex extends InMemoryReferenceIndex {
  begin(dataset: DatasetName): LandingStaging {
    const staging = gatheringStaging(this, dataset);
    return {
      ...staging,
      register: async (fileKey, stagedKey, now) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return staging.register(fileKey, stagedKey, now);
      },
    };
  }
}

/** a codec that keeps a weak reference to every batch it decodes */
const watchedCodec = (inner: StagingCodec) => {
  const decoded: WeakRef<object>[] = [];
  const codec: StagingCodec = {
    writer: (d) => inner.writer(d),
    read: (b, d, o) => inner.read(b, d, o),
    async *readHashed(b, d, o) {
      for await (const read of inner.readHashed(b, d, o)) {
        decoded.push(new WeakRef(read.batch));
        yield read;
      }
    },
  };
  const live = (): number => decoded.filter((w) => w.deref() !== undefined).length;
  return { codec, decoded, live };
};

const setup = (beside: boolean) => {
  const container = buildInMemoryContainer();
  if (beside) container.rebind(REFERENCE_INDEX).toConstantValue(new BesideIndex());
  const objects = container.get<ObjectStore>(OBJECT_STORE);
  const parquet = new ParquetStagingCodec();
  // the loads' own decodes are counted apart from the prefetch's
  const loads = countingCodec(parquet);
  container.rebind(STAGING_CODEC).toConstantValue(loads.codec);
  const ahead = watchedCodec(parquet);
  const prefetch = new StagedFilePrefetch(objects, ahead.codec);
  const started: string[] = [];
  const { prefetch: start } = prefetch;
  prefetch.prefetch = (current, bytes) => {
    started.push(current.stagedKey);
    start.call(prefetch, current, bytes);
  };
  container.bind(TOKENS.StagedFilePrefetch).toConstantValue(prefetch);
  const land = container.get<LandFile>(TOKENS.LandFile);
  const staged = container.get<StagedRows>(TOKENS.StagedRows);
  const put = async (key: string, ...lines: string[]) => {
    await objects.put(key, lines.join('\n'));
    const out = await land.execute(key);
    if (!isRight(out)) throw new Error(`${key} rejected`);
    return out.right;
  };
  /** the group's rows as Validate loads them (row rules seeing every column) */
  const loadGroup = async (groupId: string) => {
    const manifest = await readManifest(objects, `groups/${groupId}/manifest.json`, groupId);
    if (!isRight(manifest)) throw new Error('no manifest');
    const checks = stagedRowRulesWith(SEED_RULES)();
    const rows = await staged.load(manifest.right.completions, checks);
    staged.release(manifest.right.completions);
    return { rows, verdicts: checks.finish() };
  };
  return { put, loadGroup, loads: loads.counted, ahead, started, objects };
};

/** products, orders 1 and 2 (2 waits for an item that never comes), order 1's item */
const landShop = async (s: ReturnType<typeof setup>) => {
  await s.put('incoming/products/p.csv', PRODUCTS, 'p1,S,1.00,Toys,Ball,Acme,2.00,Kids');
  await s.put(
    'incoming/orders/o.csv',
    ORDERS,
    '1,u1,delivered,2025-03-01T00:00:00,,,,1',
    '2,u2,delivered,2025-03-02T00:00:00,,,,1',
  );
  const items = await s.put('incoming/order_items/i.csv', ITEMS, 'i1,1,u1,p1,delivered,,,,,3.50');
  return items.groups[0]?.groupId ?? '';
};

/** collects once a decode stopped by a release has unwound (it stops at its next batch) */
const reclaim = async () => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  await new V8MemoryReclaim().reclaim();
};

describe('LandFile decoding staged files ahead of the group', () => {
  it('while the register runs beside: the group takes them and selects the rows it names', async () => {
    const s = setup(true);
    const groupId = await landShop(s);
    // every landing's register ran beside: the items landing decoded its own file and the
    // recent ones (the products and orders landings decoded nothing ahead)
    expect(s.started).toEqual([expect.stringContaining('order_items')]);
    const { rows, verdicts } = await s.loadGroup(groupId);
    expect(s.loads.reads).toBe(0);
    // the orders file holds orders 1 and 2: the group names order 1 only
    expect(rows.orders.flatMap((o) => stringColumn(o.batch, 'order_id').values)).toEqual(['1']);
    expect(rows.items.flatMap((o) => stringColumn(o.batch, 'id').values)).toEqual(['i1']);
    expect(rows.missing).toBe(0);

    // the same group loaded without anything decoded ahead: the same rows and verdicts
    const inline = setup(false);
    const inlineGroup = await landShop(inline);
    expect(inline.started).toEqual([]);
    const anew = await inline.loadGroup(inlineGroup);
    expect(inline.loads.reads).toBe(3);
    expect(rows).toEqual(anew.rows);
    expect(verdicts).toEqual(anew.verdicts);
  });

  it('with the register inline, decodes nothing ahead', async () => {
    const s = setup(false);
    await landShop(s);
    expect(s.started).toEqual([]);
    expect(s.ahead.decoded).toHaveLength(0);
  });

  it('lets go of what a landing decoded ahead when it forms no group', async () => {
    const s = setup(true);
    await s.put('incoming/orders/o.csv', ORDERS, '1,u1,delivered,2025-03-01T00:00:00,,,,1');
    expect(s.started).toEqual([]);
    // order 1's item, but not its product: no group
    await s.put('incoming/order_items/i.csv', ITEMS, 'i1,1,u1,p1,delivered,,,,,3.50');
    expect(s.started).toHaveLength(1);
    await reclaim();
    expect(s.ahead.decoded.length).toBeGreaterThan(0);
    expect(s.ahead.live()).toBe(0);
  });

  it('lets go of a set not used when the next landing starts, or a load names other files', async () => {
    const s = setup(true);
    const groupId = await landShop(s);
    // held for the group's load: the control that shows the check below can fail
    await reclaim();
    expect(s.ahead.live()).toBeGreaterThan(0);
    // another landing starts (a duplicate answers at once, after letting go)
    await s.put('incoming/products/p.csv', PRODUCTS, 'p1,S,1.00,Toys,Ball,Acme,2.00,Kids');
    await reclaim();
    expect(s.ahead.live()).toBe(0);

    // order 2's item completes it: its group names the orders, products and new items files,
    // not the first items file, which that landing decoded ahead too (a recent landing)
    const before = s.ahead.decoded.length;
    await s.put('incoming/order_items/j.csv', ITEMS, 'i2,2,u2,p1,delivered,,,,,4.00');
    await reclaim();
    // the landing decoded its file and the recent ones, and formed order 2's group
    expect(s.ahead.decoded.length).toBeGreaterThan(before);
    const group2 = (await s.objects.list('groups/'))
      .map((o) => o.key.split('/')[1] ?? '')
      .find((g) => g !== groupId);
    // a load naming only some of them: the rest go at its claim
    const { rows } = await s.loadGroup(group2 ?? '');
    expect(rows.orders.flatMap((o) => stringColumn(o.batch, 'order_id').values)).toEqual(['2']);
    await reclaim();
    expect(s.ahead.live()).toBe(0);
  });
});
