// Validation rules as a data contract: each landing rule of docs/validation.md can be set to
// `error` (reject the file, or set the row aside under quarantine-rows), `warn` (land and
// report) or `off`, per dataset and, for rules that look at a column, per column. The seed's
// severities are the default; a rules file (JSON) only lists what it changes.
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import { DATASET_NAMES, SCHEMAS, type DatasetName } from '../datasets.js';
import type { RuleId, Severity } from './verdict.js';

export type RuleLevel = Severity | 'off';
export type TunableRule = Extract<
  RuleId,
  | 'schema.extra'
  | 'required.not-null'
  | 'type.parse'
  | 'unique.key'
  | 'unique.order-product'
  | 'domain.order-status'
  | 'domain.item-status'
  | 'range.non-negative'
  | 'range.num-of-item'
>;

/** the seed's rules: which apply to each dataset, and how severe */
export const DEFAULT_RULES: Readonly<Record<DatasetName, Partial<Record<TunableRule, Severity>>>> =
  {
    orders: {
      'schema.extra': 'warn',
      'required.not-null': 'error',
      'type.parse': 'error',
      'unique.key': 'error',
      'domain.order-status': 'error',
      'range.num-of-item': 'error',
    },
    order_items: {
      'schema.extra': 'warn',
      'required.not-null': 'error',
      'type.parse': 'error',
      'unique.key': 'error',
      'unique.order-product': 'warn',
      'domain.item-status': 'warn',
      'range.non-negative': 'error',
    },
    products: {
      'schema.extra': 'warn',
      'required.not-null': 'error',
      'type.parse': 'error',
      'unique.key': 'error',
      'range.non-negative': 'error',
    },
  };

const LevelC = t.keyof({ error: null, warn: null, off: null }, 'error | warn | off');
/** a level for the whole rule, or per column ("*" for the columns not named) */
const RuleSettingC = t.union([LevelC, t.record(t.string, LevelC)]);
export const RulesFileC = t.record(t.string, t.record(t.string, RuleSettingC), 'RulesFile');
export type RulesFile = t.TypeOf<typeof RulesFileC>;

export interface RuleSetting {
  readonly level: RuleLevel;
  /** columns whose level differs from `level` */
  readonly columns: Readonly<Record<string, RuleLevel>>;
}
export type RuleSet = Readonly<Record<DatasetName, Readonly<Record<string, RuleSetting>>>>;

const seedSet = (): Record<DatasetName, Record<string, RuleSetting>> => {
  const set = {} as Record<DatasetName, Record<string, RuleSetting>>;
  for (const d of DATASET_NAMES) {
    set[d] = {};
    for (const [rule, level] of Object.entries(DEFAULT_RULES[d])) {
      set[d][rule] = { level, columns: {} };
    }
  }
  return set;
};
export const SEED_RULES: RuleSet = seedSet();

/** the level of a rule for a dataset (and column): 'off' for rules that do not apply */
export const levelOf = (
  rules: RuleSet,
  dataset: DatasetName,
  rule: RuleId,
  column?: string | null,
): RuleLevel => {
  const setting = rules[dataset][rule];
  if (setting === undefined) return 'off';
  return (column == null ? undefined : setting.columns[column]) ?? setting.level;
};

/** every level a rule can report at for a dataset (for counters made up front) */
export const levelsOf = (rules: RuleSet, dataset: DatasetName, rule: RuleId): Severity[] => {
  const setting = rules[dataset][rule];
  if (setting === undefined) return [];
  const all = new Set<RuleLevel>([setting.level, ...Object.values(setting.columns)]);
  return (['error', 'warn'] as const).filter((l) => all.has(l));
};

/** a rules file checked against the datasets, their rules and their columns */
export const parseRules = (input: unknown): E.Either<string[], RuleSet> => {
  const decoded = RulesFileC.decode(input);
  if (E.isLeft(decoded)) return E.left(PathReporter.report(decoded));
  const errors: string[] = [];
  const set = seedSet();
  for (const [dataset, rules] of Object.entries(decoded.right)) {
    if (!(DATASET_NAMES as readonly string[]).includes(dataset)) {
      errors.push(`unknown dataset "${dataset}" (known: ${DATASET_NAMES.join(', ')})`);
      continue;
    }
    const d = dataset as DatasetName;
    const columns = new Set(SCHEMAS[d].columns.map((c) => c.name));
    for (const [rule, setting] of Object.entries(rules)) {
      const seed = set[d][rule];
      if (seed === undefined) {
        const known = Object.keys(DEFAULT_RULES[d]).join(', ');
        errors.push(`${d}: unknown rule "${rule}" (rules of ${d}: ${known})`);
        continue;
      }
      if (typeof setting === 'string') {
        set[d][rule] = { level: setting, columns: {} };
        continue;
      }
      const named: Record<string, RuleLevel> = {};
      for (const [column, level] of Object.entries(setting)) {
        if (column !== '*' && !columns.has(column))
          errors.push(
            `${d}.${rule}: unknown column "${column}" (columns: ${[...columns].join(', ')})`,
          );
        else if (column !== '*') named[column] = level;
      }
      set[d][rule] = { level: setting['*'] ?? seed.level, columns: named };
    }
  }
  return errors.length > 0 ? E.left(errors) : E.right(set);
};

/** one stable text per rule set (sorted keys): its hash identifies the rules that judged a file */
export const canonicalRules = (rules: RuleSet): string =>
  JSON.stringify(
    DATASET_NAMES.map((d) => [
      d,
      Object.keys(rules[d])
        .sort()
        .map((rule) => {
          const s = rules[d][rule] as RuleSetting;
          return [rule, s.level, Object.entries(s.columns).sort(([a], [b]) => a.localeCompare(b))];
        }),
    ]),
  );

export const isSeedRules = (rules: RuleSet): boolean =>
  canonicalRules(rules) === canonicalRules(SEED_RULES);
