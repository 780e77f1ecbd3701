import { describe, expect, it } from 'vitest';
import type { Column, ColumnBatch, ParseFailure } from '../../../src/domain/columns.js';
import { SCHEMAS, type DatasetName } from '../../../src/domain/datasets.js';
import {
  createFileValidator,
  verdictForProblem,
} from '../../../src/domain/validation/file-validator.js';
import type { RuleId } from '../../../src/domain/validation/verdict.js';

type Row = Record<string, string | number | null>;
const FILE = 'incoming/x.csv';

/** A batch from row objects (test input only), lines starting at `firstLine`. */
function batchOf(dataset: DatasetName, rows: readonly Row[], firstLine = 2): ColumnBatch {
  const columns: Record<string, Column> = {};
  for (const c of SCHEMAS[dataset].columns) {
    if (c.type === 'string') {
      columns[c.name] = {
        type: 'string',
        values: rows.map((r) => (r[c.name] as string | undefined) ?? null),
      };
    } else {
      const values = new Float64Array(rows.length);
      const valid = new Uint8Array(rows.length);
      rows.forEach((r, i) => {
        const v = r[c.name];
        if (typeof v === 'number') {
          values[i] = v;
          valid[i] = 1;
        }
      });
      columns[c.name] = { type: c.type, values, valid };
    }
  }
  const lines = Uint32Array.from(rows, (_, i) => firstLine + i);
  return { dataset, length: rows.length, columns, lines };
}

const order = (id: string, extra: Row = {}): Row => ({
  order_id: id,
  user_id: 'u1',
  status: 'delivered',
  created_at: 0,
  num_of_item: 1,
  ...extra,
});
const item = (id: string, extra: Row = {}): Row => ({
  id,
  order_id: 'o1',
  user_id: 'u1',
  product_id: `p${id}`,
  status: 'delivered',
  sale_price: 100,
  ...extra,
});
const product = (id: string, extra: Row = {}): Row => ({
  id,
  sku: `s${id}`,
  name: 'n',
  brand: 'b',
  cost: 100,
  retail_price: 200,
  ...extra,
});

function run(
  dataset: DatasetName,
  batches: readonly (readonly Row[])[],
  failures: ParseFailure[] = [],
  extra: string[] = [],
) {
  const v = createFileValidator({ file: FILE, dataset, extraColumns: extra });
  let line = 2;
  batches.forEach((rows, k) => {
    v.add(batchOf(dataset, rows, line), k === 0 ? failures : []);
    line += rows.length;
  });
  return v.finish();
}
const ruleOf = (r: ReturnType<typeof run>, id: RuleId) =>
  r.verdict.rules.find((x) => x.rule === id);

describe('file validator', () => {
  it('passes clean files of every dataset, listing every landing rule', () => {
    const o = run('orders', [[order('1'), order('2')]]);
    expect(o.verdict).toMatchObject({ ok: true, rowsChecked: 2, dataset: 'orders', subject: FILE });
    expect(o.verdict.rules.map((r) => r.rule)).toEqual([
      'schema.columns',
      'schema.duplicate-columns',
      'schema.extra',
      'required.not-null',
      'type.parse',
      'unique.key',
      'domain.order-status',
      'range.num-of-item',
    ]);
    expect(o.failingLines.size).toBe(0);
    expect(run('order_items', [[item('1')]]).verdict.ok).toBe(true);
    expect(run('products', [[product('1')]]).verdict.ok).toBe(true);
  });

  it('schema.extra warns but does not reject', () => {
    const r = run('products', [[product('1')]], [], ['note']);
    expect(r.verdict.ok).toBe(true);
    expect(ruleOf(r, 'schema.extra')).toMatchObject({ severity: 'warn', failed: 1 });
  });

  it('required.not-null fails on an empty required cell, with line and key', () => {
    const r = run('orders', [
      [order('1'), order('2', { user_id: null }), order('3', { created_at: null })],
    ]);
    expect(r.verdict.ok).toBe(false);
    const rule = ruleOf(r, 'required.not-null');
    expect(rule).toMatchObject({ checked: 3, failed: 2 });
    expect(rule?.samples[0]).toMatchObject({ line: 3, key: '2', column: 'user_id' });
    expect(r.failingLines.get(4)).toEqual([
      expect.stringContaining('required.not-null: created_at is empty'),
    ]);
  });

  it('type.parse reports parse failures (and not also as not-null)', () => {
    const failure: ParseFailure = {
      row: 0,
      line: 2,
      column: 'created_at',
      raw: 'x',
      message: 'created_at: "x" expected',
    };
    const r = run('orders', [[order('1', { created_at: null })]], [failure]);
    expect(ruleOf(r, 'type.parse')).toMatchObject({
      failed: 1,
      samples: [{ line: 2, key: '1', value: 'x' }],
    });
    expect(ruleOf(r, 'required.not-null')?.failed).toBe(0);
  });

  it('unique.key holds across batches of the whole file', () => {
    const r = run('order_items', [
      [item('1'), item('2')],
      [item('3'), item('1')],
    ]);
    const rule = ruleOf(r, 'unique.key');
    expect(rule).toMatchObject({ failed: 1, checked: 4 });
    expect(rule?.samples[0]).toMatchObject({
      line: 5,
      key: '1',
      message: expect.stringContaining('first on line 2'),
    });
    expect(run('order_items', [[item('1')], [item('2')]]).verdict.ok).toBe(true);
  });

  it('unique.order-product only warns', () => {
    const r = run('order_items', [
      [item('1', { product_id: 'p' })],
      [item('2', { product_id: 'p' })],
    ]);
    expect(r.verdict.ok).toBe(true);
    expect(ruleOf(r, 'unique.order-product')).toMatchObject({ severity: 'warn', failed: 1 });
  });

  it('domain.order-status rejects unknown statuses; domain.item-status warns', () => {
    const o = run('orders', [[order('1', { status: 'lost' }), order('2', { status: 'returned' })]]);
    expect(ruleOf(o, 'domain.order-status')).toMatchObject({ severity: 'error', failed: 1 });
    expect(o.failingLines.get(2)?.[0]).toContain('status "lost" is not one of pending');
    const i = run('order_items', [[item('1', { status: 'lost' })]]);
    expect(i.verdict.ok).toBe(true);
    expect(ruleOf(i, 'domain.item-status')).toMatchObject({ severity: 'warn', failed: 1 });
  });

  it('range.non-negative rejects negative money with the amount', () => {
    const r = run('products', [[product('1', { cost: -150 }), product('2', { retail_price: 0 })]]);
    expect(ruleOf(r, 'range.non-negative')).toMatchObject({
      failed: 1,
      samples: [{ column: 'cost', value: '-1.50' }],
    });
    expect(r.verdict.ok).toBe(false);
  });

  it('range.num-of-item rejects negative counts', () => {
    const r = run('orders', [[order('1', { num_of_item: -1 }), order('2', { num_of_item: 0 })]]);
    expect(ruleOf(r, 'range.num-of-item')).toMatchObject({ failed: 1, samples: [{ line: 2 }] });
  });

  it('caps samples but counts every failure', () => {
    const rows = Array.from({ length: 30 }, (_, i) => order(String(i), { status: 'x' }));
    const v = createFileValidator({
      file: FILE,
      dataset: 'orders',
      extraColumns: [],
      sampleCap: 5,
    });
    v.add(batchOf('orders', rows), []);
    const rule = v.finish().verdict.rules.find((x) => x.rule === 'domain.order-status');
    expect(rule).toMatchObject({ failed: 30 });
    expect(rule?.samples).toHaveLength(5);
  });

  it('verdictForProblem maps every file problem to a failing rule', () => {
    const cases = [
      ['NotText', 'file.not-text'],
      ['Empty', 'file.empty'],
      ['Malformed', 'file.malformed'],
      ['UnknownHeader', 'schema.columns'],
      ['MissingColumns', 'schema.columns'],
      ['DatasetMismatch', 'schema.columns'],
      ['DuplicateColumns', 'schema.duplicate-columns'],
    ] as const;
    for (const [tag, rule] of cases) {
      const v = verdictForProblem(FILE, { _tag: tag, message: 'why', line: 7 });
      expect(v).toMatchObject({
        ok: false,
        subject: FILE,
        rules: [{ rule, severity: 'error', failed: 1, samples: [{ line: 7, message: 'why' }] }],
      });
    }
  });
});
