// Archive moves raw files inside the store (copy + delete), never reading them through the
// process (an S3 GetObject of a 1 GB file in a 512 MB Lambda), and archives products files too.
import { describe, expect, it } from 'vitest';
import type { ArchiveGroup } from '../../../src/application/archive-group.use-case.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { landedGroup } from '../../support/landed-group.js';

describe('ArchiveGroup', () => {
  it('moves orders, items and products files without reading them, and again finds them moved', async () => {
    const { objects, tasks, task, reads, recordReads } = await landedGroup();
    await tasks.run('validate', task);
    await new Promise((resolve) => setImmediate(resolve)); // the hint is not waited for
    await tasks.run('transform', task);

    recordReads();
    const result = await tasks.run('archive', task);
    expect(result.ok).toBe(true);
    expect(reads.filter((k) => k.startsWith('incoming/'))).toEqual([]);
    expect((await objects.list('incoming/')).map((o) => o.key)).toEqual([]);
    expect((await objects.list('archive/')).map((o) => o.key)).toEqual([
      'archive/order_items/i.csv',
      'archive/orders/o.csv',
      'archive/products/p.csv',
    ]);
    // a repeated Archive (the state retried after a timeout) finds the files gone: still done
    expect((await tasks.run('archive', task)).ok).toBe(true);
  });
});

describe('ArchiveGroup.prepare', () => {
  it("Validate hints the copies Archive will make, before it runs; a store without hints isn't read", async () => {
    const { container, objects, tasks, task, reads, recordReads } = await landedGroup();

    // the in-memory store takes no hints: prepare reads nothing
    recordReads();
    await container.get<ArchiveGroup>(TOKENS.ArchiveGroup).prepare(task);
    expect(reads).toEqual([]);

    const hinted: [string, string][] = [];
    objects.prepareCopy = (from, to) => hinted.push([from, to]);
    await tasks.run('validate', task);
    await new Promise((resolve) => setImmediate(resolve)); // the hint is not waited for
    expect(hinted).toEqual([
      ['incoming/order_items/i.csv', 'archive/order_items/i.csv'],
      ['incoming/orders/o.csv', 'archive/orders/o.csv'],
      ['incoming/products/p.csv', 'archive/products/p.csv'],
    ]);
    // a hint changes nothing: the moves are Archive's, as always
    await tasks.run('transform', task);
    expect((await tasks.run('archive', task)).ok).toBe(true);
    expect((await objects.list('archive/')).map((o) => o.key)).toEqual([
      'archive/order_items/i.csv',
      'archive/orders/o.csv',
      'archive/products/p.csv',
    ]);
  });
});
