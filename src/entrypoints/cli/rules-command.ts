// `rules`: the validation rules in force (the seed's, or a rules file's), as a table or as a
// complete rules file (--json) that can be edited and passed back with --rules.
import Table from 'cli-table3';
import { DATASET_NAMES } from '../../domain/datasets.js';
import type { RuleSet, RuleSetting } from '../../domain/validation/rules-config.codec.js';

const STYLE = { style: { head: [] as string[], border: [] as string[], compact: true } };

export const rulesJson = (rules: RuleSet): string => {
  const file: Record<string, Record<string, unknown>> = {};
  for (const d of DATASET_NAMES) {
    file[d] = {};
    for (const [rule, s] of Object.entries(rules[d]) as [string, RuleSetting][]) {
      const columns = Object.entries(s.columns);
      file[d][rule] = columns.length === 0 ? s.level : { '*': s.level, ...s.columns };
    }
  }
  return JSON.stringify(file, null, 2);
};

export const rulesText = (rules: RuleSet, source: string): string => {
  const table = new Table({ head: ['dataset', 'rule', 'level', 'columns set apart'], ...STYLE });
  for (const d of DATASET_NAMES) {
    for (const [rule, s] of Object.entries(rules[d]) as [string, RuleSetting][]) {
      const columns = Object.entries(s.columns).map(([c, l]) => `${c}: ${l}`);
      table.push([d, rule, s.level, columns.join(', ') || '-']);
    }
  }
  return [
    `Validation rules in force (${source}); schema.columns and schema.duplicate-columns are always errors.`,
    table.toString(),
    'error: reject the file (or set the row aside under --policy quarantine-rows); ' +
      'warn: land and report; off: not checked.',
  ].join('\n');
};
