// `ingest` tells the app what it is about to deliver just before each delivery (size, dataset by
// folder or header), and the local app starts the register's worker ahead only for a file whose
// landing would use it: a big order_items or orders file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { right } from 'fp-ts/lib/Either.js';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  REFERENCE_WORKER_MIN_BYTES,
  SqliteWorkerReferenceIndex,
} from '../../../src/adapters/sqlite/sqlite-reference-worker-index.js';
import { headerDataset } from '../../../src/entrypoints/cli/header-hint.js';
import { deliveryOf, expectedOf, ingest } from '../../../src/entrypoints/cli/ingest.js';
import { localApp } from '../../../src/entrypoints/composition/local.container.js';
import type {
  ExpectedFile,
  PipelineApp,
} from '../../../src/entrypoints/composition/pipeline-app.js';

const scratch = mkdtempSync(join(tmpdir(), 'ingest-prepare-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const ITEMS =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
const ORDERS = 'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
const PRODUCTS = 'id,sku,cost,category,name,brand,retail_price,department';

const file = (name: string, text: string): string => {
  const path = join(scratch, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
};

describe('what ingest expects of its files', () => {
  it("tells a file's dataset by its header, and nothing from a header of none or of two", () => {
    expect(headerDataset(file('i.csv', `${ITEMS}\n1,2,3\n`))).toBe('order_items');
    expect(headerDataset(file('o.csv', `\uFEFF${ORDERS}\r\n`))).toBe('orders');
    expect(headerDataset(file('p.csv', `"${PRODUCTS.split(',').join('","')}"\n`))).toBe('products');
    expect(headerDataset(file('x.csv', 'a,b,c\n'))).toBeUndefined();
    expect(headerDataset(file('e.csv', ''))).toBeUndefined();
    expect(headerDataset(join(scratch, 'missing.csv'))).toBeUndefined();
  });

  it("gives a delivery's size, and its folder's dataset before its header's", () => {
    const body = `${ORDERS}\n`;
    expect(expectedOf(deliveryOf(file('a/orders.csv', body)))).toEqual([
      { bytes: body.length, dataset: 'orders' },
    ]);
    expect(expectedOf(deliveryOf(file('order_items/orders.csv', body)))).toEqual([
      { bytes: body.length, dataset: 'order_items' },
    ]);
    expect(expectedOf(deliveryOf(join(scratch, 'gone.csv')))).toEqual([]);
  });

  it('prepares the app for each delivery just before it is delivered', async () => {
    const calls: string[] = [];
    const app = {
      prepare: (files: readonly ExpectedFile[]) => {
        calls.push(`prepare ${files.map((f) => f.dataset).join(',')}`);
      },
      processUntilIdle: async () => [],
      deliver: async (name: string) => {
        calls.push(`deliver ${name}`);
        return right({ _tag: 'Duplicate', groups: [] });
      },
      reportStale: async () => [],
    } as unknown as PipelineApp;
    const paths = [file('b/i.csv', `${ITEMS}\n`), file('b/o.csv', `${ORDERS}\n`)];
    await ingest(app, paths.map(deliveryOf), { handleInterrupt: false });
    expect(calls).toEqual([
      'prepare order_items',
      'deliver i.csv',
      'prepare orders',
      'deliver o.csv',
    ]);
  });
});

describe('the local app, prepared', () => {
  it("starts the register's worker ahead for a big order_items or orders file only", async () => {
    const prewarm = vi.spyOn(SqliteWorkerReferenceIndex.prototype, 'prewarm');
    const app = localApp({ home: join(scratch, 'home') });
    try {
      const big = REFERENCE_WORKER_MIN_BYTES;
      app.prepare([
        { bytes: big, dataset: 'products' },
        { bytes: big, dataset: undefined },
        { bytes: big - 1, dataset: 'orders' },
        { bytes: big - 1, dataset: 'order_items' },
      ]);
      expect(prewarm).not.toHaveBeenCalled();
      app.prepare([
        { bytes: 10, dataset: 'products' },
        { bytes: big, dataset: 'order_items' },
      ]);
      expect(prewarm).toHaveBeenCalledTimes(1);
      app.prepare([{ bytes: big, dataset: 'orders' }]);
      expect(prewarm).toHaveBeenCalledTimes(2);
    } finally {
      await app.close();
    }
  });
});
