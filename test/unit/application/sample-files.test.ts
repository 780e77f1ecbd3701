// The demo's delivery: deterministic, one products file, orders whose items span two files,
// returned and cancelled orders, and a seeded landing order.
import { describe, expect, it } from 'vitest';
import { sampleFiles, shuffled } from '../../../src/application/sample-files.js';

const rows = (text: string): string[][] =>
  text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

describe('sampleFiles', () => {
  const files = sampleFiles({ orders: 200, seed: 42 });

  it('is deterministic for a seed and differs for another', () => {
    expect(sampleFiles({ orders: 200, seed: 42 })).toEqual(files);
    expect(sampleFiles({ orders: 200, seed: 43 })).not.toEqual(files);
  });

  it('has one products file, returned and cancelled orders, and orders split across item files', () => {
    expect(files.filter((f) => f.dataset === 'products').map((f) => f.path)).toEqual([
      'products.csv',
    ]);
    const statuses = new Set(
      files.filter((f) => f.dataset === 'orders').flatMap((f) => rows(f.text).map((r) => r[2])),
    );
    expect(statuses).toContain('returned');
    expect(statuses).toContain('cancelled');
    const filesOfOrder = new Map<string, Set<string>>();
    for (const f of files.filter((x) => x.dataset === 'order_items')) {
      for (const r of rows(f.text)) {
        filesOfOrder.set(
          r[1] as string,
          (filesOfOrder.get(r[1] as string) ?? new Set()).add(f.path),
        );
      }
    }
    expect([...filesOfOrder.values()].some((s) => s.size === 2)).toBe(true);
  });

  it('shuffles by seed: a permutation, the same for the same seed', () => {
    const paths = files.map((f) => f.path);
    const once = shuffled(paths, 7);
    expect(shuffled(paths, 7)).toEqual(once);
    expect([...once].sort()).toEqual([...paths].sort());
  });
});
