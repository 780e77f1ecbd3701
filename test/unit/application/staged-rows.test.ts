// StagedRows loads a group's rows from the manifest's completion columns: only the rows the
// manifest names, `missing` for the rows no staged file holds. It keeps its selection per
// completions value while a group is between Validate and Transform, and forgets it on release
// (so a long-running process does not keep every file); it never keeps a decoded file.
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import { readManifest } from '../../../src/application/group-manifest-reader.js';
import type { StagedRows } from '../../../src/application/staged-rows.js';
import {
  CompletionColumnsBuilder,
  completionsOf,
  type CompletionColumns,
} from '../../../src/domain/completion-columns.js';
import { stringColumn, type SourcedBatch } from '../../../src/domain/group-data.js';
import { SCHEMAS } from '../../../src/domain/datasets.js';
import { JOIN_COLUMNS, STAGE_COLUMNS } from '../../../src/domain/stage-columns.js';
import { withoutHashColumn } from '../io/legacy-staging.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { OBJECT_STORE, type ObjectStore } from '../../../src/ports/object-store.port.js';

const PRODUCTS = 'id,sku,cost,category,name,brand,retail_price,department';
const ORDERS = 'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const ITEMS =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';

/**
 * lands products, two orders (order 2 waits for an item that never comes) and order 1's item:
 * the group holds order 1 only, so it names one of the two rows of the orders' staged file
 */
const landGroup = async () => {
  const container = buildInMemoryContainer({});
  const objects = container.get<ObjectStore>(OBJECT_STORE);
  const land = container.get<LandFile>(TOKENS.LandFile);
  const put = async (key: string, ...lines: string[]) => {
    await objects.put(key, lines.join('\n'));
    return land.execute(key);
  };
  await put('incoming/products/p.csv', PRODUCTS, 'p1,S,1.00,Toys,Ball,Acme,2.00,Kids');
  await put(
    'incoming/orders/o.csv',
    ORDERS,
    '1,u1,delivered,2025-03-01T00:00:00,,,,1',
    '2,u2,delivered,2025-03-02T00:00:00,,,,1',
  );
  const landed = await put('incoming/order_items/i.csv', ITEMS, 'i1,1,u1,p1,delivered,,,,,3.50');
  const groupId = isRight(landed) ? (landed.right.groups[0]?.groupId ?? '') : '';
  const manifest = await readManifest(objects, `groups/${groupId}/manifest.json`, groupId);
  if (!isRight(manifest)) throw new Error('no manifest');
  const staged = container.get<StagedRows>(TOKENS.StagedRows);
  const reads: string[] = [];
  const get = objects.get.bind(objects);
  objects.get = (key: string) => {
    if (key.startsWith('staging/')) reads.push(key);
    return get(key);
  };
  return { staged, reads, objects, get, completions: manifest.right.completions };
};

/** the same completions, rebuilt as a new value, with `extraItemHash` named as well */
const withExtraItem = (c: CompletionColumns, extraItemHash: string): CompletionColumns => {
  const b = new CompletionColumnsBuilder();
  completionsOf(c).forEach((o, i) => {
    b.add(o);
    const item = o.items[0];
    if (i === 0 && item !== undefined) b.item(b.file(item.key, item.stagedKey), extraItemHash);
  });
  return b.build();
};

const itemHash = (c: CompletionColumns): string => completionsOf(c)[0]?.items[0]?.hash ?? '';

const ids = (batches: readonly { batch: Parameters<typeof stringColumn>[0] }[], name: string) =>
  batches.flatMap(({ batch }) => stringColumn(batch, name).values);

describe('StagedRows', () => {
  it('reads each staged file once while cached, and again after release', async () => {
    const { staged, reads, completions } = await landGroup();
    const first = await staged.load(completions);
    const second = await staged.load(completions);
    expect(reads).toHaveLength(3); // orders, items, products: once each
    expect(second).toEqual(first);
    expect(first.items[0]?.batch.length).toBe(1);
    staged.release(completions);
    expect(await staged.load(completions)).toEqual(first);
    expect(reads).toHaveLength(6);
  });

  it('gives only the rows the manifest names from a staged file holding more', async () => {
    const { staged, completions } = await landGroup();
    const data = await staged.load(completions);
    expect(ids(data.orders, 'order_id')).toEqual(['1']);
    expect(data.orders[0]?.hashes).toEqual(
      Uint32Array.of(completions.orders.lo[0] ?? 0, completions.orders.hi[0] ?? 0),
    );
    expect(data.orders[0]?.file).toBe('incoming/orders/o.csv');
    expect(ids(data.items, 'id')).toEqual(['i1']);
    expect(ids(data.products, 'id')).toEqual(['p1']);
    expect(data.missing).toBe(0);
  });

  it('counts a manifest row no staged file holds as missing', async () => {
    const { staged, completions } = await landGroup();
    const data = await staged.load(withExtraItem(completions, 'ffffffffffffffff'));
    expect(data.missing).toBe(1);
    expect(ids(data.items, 'id')).toEqual(['i1']);
    // the same row named twice is still one row
    const twice = await staged.load(withExtraItem(completions, itemHash(completions)));
    expect(twice.missing).toBe(0);
    expect(ids(twice.items, 'id')).toEqual(['i1']);
  });

  it('answers the same completions with its cached selection until they are released', async () => {
    const { staged, reads, completions } = await landGroup();
    const first = await staged.load(completions);
    expect(await staged.load(completions)).toBe(first);
    expect(reads).toHaveLength(3);
    // equal columns as another value: selected anew (the files are read again: only
    // selections are kept, never a decoded file)
    const copy = withExtraItem(completions, itemHash(completions));
    const other = await staged.load(copy);
    expect(other).not.toBe(first);
    expect(other).toEqual(first);
    expect(reads).toHaveLength(6);
    staged.release(completions);
    // the release also dropped the copy's selection: it named the same staged files
    const afterRelease = await staged.load(completions);
    expect(afterRelease).not.toBe(first);
    expect(afterRelease).toEqual(first);
    expect(await staged.load(copy)).not.toBe(other);
    expect(reads).toHaveLength(12);
  });

  it('reads the stages columns only, the row rules seeing every column as it goes', async () => {
    const { staged, completions } = await landGroup();
    const seen: SourcedBatch[] = [];
    const read: string[] = [];
    const data = await staged.load(completions, {
      add: (s) => {
        // a file's batches all come before it is declared read
        expect(read).not.toContain(`${s.batch.dataset}:${s.file}`);
        seen.push(s);
      },
      fileRead: (dataset, file) => read.push(`${dataset}:${file}`),
    });
    expect(Object.keys(data.products[0]?.batch.columns ?? {})).toEqual(STAGE_COLUMNS.products);
    expect(Object.keys(data.orders[0]?.batch.columns ?? {})).toEqual(STAGE_COLUMNS.orders);
    const products = seen.find((s) => s.batch.dataset === 'products');
    expect(Object.keys(products?.batch.columns ?? {})).toEqual(
      SCHEMAS.products.columns.map((c) => c.name),
    );
    // the same rows either way, and the answer kept for Transform
    expect(seen.map((s) => s.batch.length)).toEqual(
      [...data.items, ...data.orders, ...data.products].map((s) => s.batch.length),
    );
    expect(await staged.load(completions)).toBe(data);
    // each raw file once, after its rows
    expect(read.sort()).toEqual(
      [...data.items, ...data.orders, ...data.products]
        .map((s) => `${s.batch.dataset}:${s.file}`)
        .sort(),
    );
  });

  it('reads files staged before they carried hashes the same, by hashing their rows', async () => {
    const hashed = await landGroup();
    const expected = await hashed.staged.load(hashed.completions);
    const { staged, objects, get, completions } = await landGroup();
    for (const [, stagedKey] of completions.files) {
      const bytes = await get(stagedKey);
      if (bytes === null) throw new Error(`no ${stagedKey}`);
      await objects.put(stagedKey, withoutHashColumn(bytes));
    }
    const seen: number[] = [];
    const legacy = await staged.load(completions, {
      add: (s) => seen.push(s.batch.length),
      fileRead: () => undefined,
    });
    expect(legacy).toEqual(expected);
    expect(seen).toEqual([1, 1, 1]);
    staged.release(completions);
    expect(await staged.load(completions)).toEqual(expected);
  });

  it('take answers the kept selection cut to the columns asked, without hashes, and releases it', async () => {
    const { staged, reads, completions } = await landGroup();
    const kept = await staged.load(completions, {
      add: () => undefined,
      fileRead: () => undefined,
    });
    expect(reads).toHaveLength(3);
    const taken = await staged.take(completions, JOIN_COLUMNS);
    expect(reads).toHaveLength(3); // answered from the kept selection
    for (const [list, dataset] of [
      [taken.orders, 'orders'],
      [taken.items, 'order_items'],
      [taken.products, 'products'],
    ] as const) {
      expect(list.map((s) => Object.keys(s.batch.columns))).toEqual([JOIN_COLUMNS[dataset]]);
      expect(list.every((s) => s.hashes === undefined)).toBe(true);
    }
    expect(ids(taken.items, 'id')).toEqual(ids(kept.items, 'id'));
    expect(ids(taken.orders, 'user_id')).toEqual(ids(kept.orders, 'user_id'));
    expect(taken.items[0]?.file).toBe(kept.items[0]?.file);
    expect(taken.missing).toBe(kept.missing);
    // released: the next reader selects again
    expect(await staged.load(completions)).not.toBe(kept);
    expect(reads).toHaveLength(6);
  });

  it('take without a kept selection reads the columns asked only, and keeps nothing', async () => {
    const { staged, reads, completions } = await landGroup();
    const taken = await staged.take(completions, JOIN_COLUMNS);
    expect(reads).toHaveLength(3);
    expect(Object.keys(taken.items[0]?.batch.columns ?? {})).toEqual(JOIN_COLUMNS.order_items);
    expect(ids(taken.items, 'id')).toEqual(['i1']);
    expect(ids(taken.orders, 'order_id')).toEqual(['1']);
    await staged.take(completions, JOIN_COLUMNS);
    expect(reads).toHaveLength(6);
  });
});
