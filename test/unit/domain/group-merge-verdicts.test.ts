import { describe, expect, it } from 'vitest';
import { mergeVerdicts } from '../../../src/domain/validation/merge-verdicts.js';
import type { RuleResult, ValidationVerdict } from '../../../src/domain/validation/verdict.js';

const sample = (line: number) => ({
  file: 'f.csv',
  line,
  key: `k${line}`,
  value: null,
  message: 'bad',
});
const result = (
  rule: RuleResult['rule'],
  severity: RuleResult['severity'],
  failed: number,
): RuleResult => ({
  rule,
  severity,
  scope: 'row',
  checked: 10,
  failed,
  samples: Array.from({ length: failed }, (_, i) => sample(i + 2)),
});
const verdict = (
  dataset: string | null,
  rowsChecked: number,
  rules: RuleResult[],
): ValidationVerdict => ({
  subject: 'x',
  dataset,
  ok: rules.every((r) => r.severity === 'warn' || r.failed === 0),
  rowsChecked,
  rules,
});

describe('mergeVerdicts', () => {
  it('sums counts per rule, keeps first-seen order and caps samples', () => {
    const merged = mergeVerdicts(
      'g1',
      [
        verdict('orders', 10, [
          result('required.not-null', 'error', 0),
          result('domain.item-status', 'warn', 3),
        ]),
        verdict('order_items', 10, [result('domain.item-status', 'warn', 4)]),
      ],
      5,
    );
    expect(merged).toMatchObject({ subject: 'g1', dataset: null, ok: true, rowsChecked: 20 });
    expect(merged.rules.map((r) => [r.rule, r.checked, r.failed, r.samples.length])).toEqual([
      ['required.not-null', 10, 0, 0],
      ['domain.item-status', 20, 7, 5],
    ]);
  });

  it('is not ok when any error rule failed', () => {
    const merged = mergeVerdicts('g1', [
      verdict('orders', 10, [result('domain.item-status', 'warn', 1)]),
      verdict(null, 25, [result('group.item-count', 'error', 1)]),
    ]);
    expect(merged.ok).toBe(false);
    expect(merged.rowsChecked).toBe(25);
  });

  it('keeps the dataset when every verdict has the same one', () => {
    expect(mergeVerdicts('f', [verdict('orders', 1, []), verdict('orders', 2, [])]).dataset).toBe(
      'orders',
    );
  });
});
