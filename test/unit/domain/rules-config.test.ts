// The validation rules file: its codec, its round trip through `rules --json`, and how a level
// set per dataset and column changes what the landing validator rejects, reports or ignores.
import * as fc from 'fast-check';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { ColumnBatch } from '../../../src/domain/columns.js';
import { SCHEMAS } from '../../../src/domain/datasets.js';
import { createFileValidator } from '../../../src/domain/validation/file-validator.js';
import {
  canonicalRules,
  DEFAULT_RULES,
  isSeedRules,
  parseRules,
  SEED_RULES,
  type RuleSet,
} from '../../../src/domain/validation/rules-config.codec.js';
import { rulesJson } from '../../../src/entrypoints/cli/rules-command.js';

/** one products row whose brand is empty, on line 2 */
const productWithoutBrand = (): ColumnBatch => {
  const columns: Record<string, ColumnBatch['columns'][string]> = {};
  const text: Record<string, string | null> = {
    id: 'p1',
    sku: 's1',
    category: 'Toys',
    name: 'Ball',
    brand: null,
    department: 'Kids',
  };
  for (const c of SCHEMAS.products.columns)
    columns[c.name] =
      c.type === 'string'
        ? { type: 'string', values: [text[c.name] ?? null] }
        : { type: c.type, values: Float64Array.of(100), valid: Uint8Array.of(1) };
  return { dataset: 'products', length: 1, columns, lines: Uint32Array.of(2) };
};

const judge = (rules: RuleSet) => {
  const v = createFileValidator({ file: 'p.csv', dataset: 'products', extraColumns: [], rules });
  v.add(productWithoutBrand(), []);
  return v.finish();
};

const parsed = (input: unknown): RuleSet => {
  const r = parseRules(input);
  if (isLeft(r)) throw new Error(r.left.join('; '));
  return r.right;
};

describe('validation rules file', () => {
  it('an empty file is the seed rules; the seed is the validator default', () => {
    expect(isSeedRules(parsed({}))).toBe(true);
    expect(judge(SEED_RULES).verdict.ok).toBe(false);
  });

  it('the brand column at error rejects, at warn reports, off ignores; other columns keep the rule', () => {
    fc.assert(
      fc.property(fc.constantFrom('error', 'warn', 'off'), (level) => {
        const { verdict, failingLines } = judge(
          parsed({ products: { 'required.not-null': { brand: level } } }),
        );
        const failed = (severity: string) =>
          verdict.rules.find((r) => r.rule === 'required.not-null' && r.severity === severity)
            ?.failed ?? 0;
        expect(verdict.ok).toBe(level !== 'error');
        expect(failingLines.size).toBe(level === 'error' ? 1 : 0);
        expect(failed('warn')).toBe(level === 'warn' ? 1 : 0);
        expect(failed('error')).toBe(level === 'error' ? 1 : 0);
      }),
    );
  });

  it('prints as a complete rules file that parses back to the same rules (any levels)', () => {
    const rule = fc.constantFrom(...Object.keys(DEFAULT_RULES.products));
    const level = fc.constantFrom('error', 'warn', 'off');
    fc.assert(
      fc.property(
        fc.dictionary(rule, level),
        fc.option(level, { nil: undefined }),
        (set, brand) => {
          const file = {
            products: {
              ...set,
              ...(brand === undefined ? {} : { 'required.not-null': { brand } }),
            },
          };
          const rules = parsed(file);
          expect(canonicalRules(parsed(JSON.parse(rulesJson(rules))))).toBe(canonicalRules(rules));
        },
      ),
    );
  });

  it('refuses unknown levels, datasets, rules and columns with messages naming them', () => {
    const bad = parseRules({ orders: { 'unique.key': 'maybe' } });
    expect(isLeft(bad) && bad.left.join(' ')).toContain('"maybe"');
    const names = parseRules({ shop: {}, orders: { 'range.non-negative': 'off' } });
    expect(isLeft(names) && names.left).toEqual([
      'unknown dataset "shop" (known: orders, order_items, products)',
      expect.stringContaining('orders: unknown rule "range.non-negative"'),
    ]);
    expect(isRight(parseRules({ orders: { 'unique.key': { order_id: 'warn' } } }))).toBe(true);
  });
});
