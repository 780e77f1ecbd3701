// The landing row rules run again over a group's staged rows: one verdict per staged file (its
// batches together, so uniqueness spans them), and the tables sized up front for the file's
// rows answer exactly what growing tables answer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stagedRowRules, stagedRowRulesWith } from '../../../src/application/staged-row-rules.js';
import { SEED_RULES } from '../../../src/domain/validation/rules-config.codec.js';
import type { SourcedBatch } from '../../../src/domain/group-data.js';
import { createFileValidator } from '../../../src/domain/validation/file-validator.js';
import { batchOf, item, order, type RowLiteral } from '../domain/facts-fixtures.js';

const id = (prefix: string) => fc.constantFrom(...[1, 2, 3, 4, 5].map((n) => `${prefix}${n}`));
const itemRow: fc.Arbitrary<RowLiteral> = fc
  .tuple(id('I'), id('O'), id('P'), fc.constantFrom(-5, 10))
  .map(([i, o, p, c]) => item(i, o, 'U1', p, c));

describe('stagedRowRules', () => {
  it('gives one verdict per staged file, uniqueness spanning that file’s batches only', () => {
    const items = (file: string, rows: RowLiteral[], firstLine: number): SourcedBatch => ({
      file,
      batch: batchOf('order_items', rows, firstLine),
    });
    const verdicts = stagedRowRules({
      orders: [
        {
          file: 'o.csv',
          batch: batchOf('orders', [order('O1', 'U1', 'shipped', '2025-03-01T10:00:00Z', 1)]),
        },
      ],
      items: [
        items('a.csv', [item('I1', 'O1', 'U1', 'P1', 10)], 2),
        items('b.csv', [item('I1', 'O1', 'U1', 'P1', 10)], 2),
        items('a.csv', [item('I1', 'O1', 'U1', 'P2', 10)], 3),
      ],
      products: [],
    });
    expect(verdicts.map((v) => [v.subject, v.dataset, v.rowsChecked])).toEqual([
      ['o.csv', 'orders', 1],
      ['a.csv', 'order_items', 2],
      ['b.csv', 'order_items', 1],
    ]);
    const uniqueKey = (subject: string) =>
      verdicts.find((v) => v.subject === subject)?.rules.find((r) => r.rule === 'unique.key');
    expect(uniqueKey('a.csv')?.failed).toBe(1);
    expect(uniqueKey('a.csv')?.samples[0]?.message).toContain('first on line 2');
    expect(uniqueKey('b.csv')?.failed).toBe(0);
  });

  it('sized for any row count, the file validator answers what it answers unsized', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(itemRow, { maxLength: 12 }), { maxLength: 4 }),
        fc.nat({ max: 5000 }),
        (batches, expectedRows) => {
          const run = (sized: boolean) => {
            const v = createFileValidator({
              file: 'f.csv',
              dataset: 'order_items',
              extraColumns: [],
              ...(sized ? { expectedRows } : {}),
            });
            let line = 2;
            for (const rows of batches) {
              v.add(batchOf('order_items', rows, line), []);
              line += rows.length;
            }
            return v.finish();
          };
          const unsized = run(false);
          const sized = run(true);
          expect(sized.verdict).toEqual(unsized.verdict);
          expect([...sized.failingLines]).toEqual([...unsized.failingLines]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a file declared read gives the verdict it gives at the end, and takes no more rows', () => {
    const files = fc.array(
      fc.tuple(fc.constantFrom('a.csv', 'b.csv', 'c.csv'), fc.array(itemRow, { maxLength: 8 })),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(files, fc.boolean(), (batches, declare) => {
        const sourced = batches.map(([file, rows]) => ({
          file,
          batch: batchOf('order_items', rows, 2),
        }));
        const atEnd = stagedRowRules({ orders: [], items: sourced, products: [] });
        const checks = stagedRowRulesWith(SEED_RULES)();
        sourced.forEach((s, i) => {
          checks.add(s);
          // declared read after its last batch (as StagedRows does), or never
          const last = !sourced.slice(i + 1).some((later) => later.file === s.file);
          if (declare && last) checks.fileRead('order_items', s.file);
        });
        expect(checks.finish()).toEqual(atEnd);
      }),
      { numRuns: 200 },
    );
    const checks = stagedRowRulesWith(SEED_RULES)();
    const one = { file: 'a.csv', batch: batchOf('order_items', [item('I1', 'O1', 'U1', 'P1', 1)]) };
    checks.add(one);
    checks.fileRead('order_items', 'a.csv');
    expect(() => checks.add(one)).toThrow(/after it was read/);
  });
});
