// The landing row rules, run again in the Validate stage over the group's staged rows (defence
// in depth: staged data that was altered or mis-staged is caught before it reaches the KPIs).
// Batch by batch, as StagedRows reads them with every column: the stages then keep only the
// columns they read, so a group's rows are never all held with every column at once.
import type { ColumnBatch } from '../domain/columns.js';
import type { GroupData, SourcedBatch } from '../domain/group-data.js';
import { DATASET_NAMES, type DatasetName } from '../domain/datasets.js';
import { createFileValidator, type FileValidator } from '../domain/validation/file-validator.js';
import {
  canonicalRules,
  SEED_RULES,
  type RuleSet,
} from '../domain/validation/rules-config.codec.js';
import type { ValidationVerdict } from '../domain/validation/verdict.js';

/** one run of the row rules over a group: batches in, one verdict per (dataset, file) out */
export interface RowRuleChecks {
  /** `expectedRows`: the rows of this file the group will hand over (sizes the tables) */
  add(sourced: SourcedBatch, expectedRows?: number): void;
  /** no batch of this file follows: its verdict is made now and its tables let go */
  fileRead(dataset: DatasetName, file: string): void;
  /**
   * takes a file's verdict worked out ahead over exactly the rows the group hands over (the
   * caller checks that), instead of its batches: only when it was made under the same rules and
   * no batch of that file came before; false (then the batches are added as usual) otherwise
   */
  adopt(ahead: RowRulesAhead): boolean;
  finish(): ValidationVerdict[];
}

/**
 * The row rules' verdict of one whole staged file, worked out while a landing's register runs
 * beside (StagedFilePrefetch, over the batches it decodes then): Validate adopts it when its
 * group hands over every row of that file, and only then, in place of running the same rules
 * over the same batches again.
 */
export interface RowRulesAhead {
  readonly rules: RuleSet;
  readonly dataset: DatasetName;
  /** the raw file the verdict names (the rows' `file`) */
  readonly file: string;
  readonly verdict: ValidationVerdict;
}

/** the validator stagedRowRulesWith runs per file: one way to make it, so a verdict ahead is its */
const stagedFileValidator = (
  rules: RuleSet,
  dataset: DatasetName,
  file: string,
  expectedRows: number | undefined,
): FileValidator =>
  createFileValidator({
    file,
    dataset,
    extraColumns: [],
    rules,
    ...(expectedRows === undefined ? {} : { expectedRows }),
  });

/** the row rules over one whole staged file, batch by batch in file order, for a later adopt */
export const rowRulesAhead = (
  rules: RuleSet,
  dataset: DatasetName,
  file: string,
  rows: number,
): { add(batch: ColumnBatch): void; finish(): RowRulesAhead } => {
  const validator = stagedFileValidator(rules, dataset, file, rows);
  return {
    add: (batch) => validator.add(batch, []),
    finish: () => ({ rules, dataset, file, verdict: validator.finish().verdict }),
  };
};

/** the same rules: the same object, or (made apart) the same settings */
const sameRules = (a: RuleSet, b: RuleSet): boolean =>
  a === b || canonicalRules(a) === canonicalRules(b);

/** the rules in force at landing, so a rule turned off there does not fail the group here */
export const stagedRowRulesWith = (rules: RuleSet) => (): RowRuleChecks => {
  // per file, its validator until the file is read, then only its verdict
  const byFile = new Map<string, FileValidator | ValidationVerdict>();
  const keyOf = (dataset: DatasetName, file: string): string => `${dataset}\u0000${file}`;
  const verdictOf = (v: FileValidator | ValidationVerdict): ValidationVerdict =>
    'finish' in v ? v.finish().verdict : v;
  return {
    add(sourced, expectedRows) {
      const { file, batch } = sourced;
      const key = keyOf(batch.dataset, file);
      let validator = byFile.get(key);
      if (validator !== undefined && !('finish' in validator))
        throw new Error(`rows of ${file} after it was read`);
      if (validator === undefined) {
        validator = stagedFileValidator(rules, batch.dataset, file, expectedRows);
        byFile.set(key, validator);
      }
      validator.add(batch, []);
    },
    fileRead(dataset, file) {
      const key = keyOf(dataset, file);
      const validator = byFile.get(key);
      if (validator !== undefined) byFile.set(key, verdictOf(validator));
    },
    adopt(ahead) {
      const key = keyOf(ahead.dataset, ahead.file);
      if (byFile.has(key) || !sameRules(ahead.rules, rules)) return false;
      byFile.set(key, ahead.verdict);
      return true;
    },
    finish() {
      // in dataset order (orders, items, products), each dataset's files as they came
      const verdicts = [...byFile.values()].map(verdictOf);
      const names: readonly string[] = DATASET_NAMES;
      const rank = (v: ValidationVerdict): number => names.indexOf(v.dataset ?? '');
      return verdicts.sort((a, b) => rank(a) - rank(b));
    },
  };
};

/** the row rules over a whole group's data at once (tests, benchmarks) */
export const stagedRowRules = (
  data: GroupData,
  rules: RuleSet = SEED_RULES,
): ValidationVerdict[] => {
  const checks = stagedRowRulesWith(rules)();
  const all = [...data.orders, ...data.items, ...data.products];
  const rowsOf = new Map<string, number>();
  const keyOf = (s: SourcedBatch): string => `${s.batch.dataset}\u0000${s.file}`;
  for (const s of all) rowsOf.set(keyOf(s), (rowsOf.get(keyOf(s)) ?? 0) + s.batch.length);
  for (const s of all) checks.add(s, rowsOf.get(keyOf(s)));
  return checks.finish();
};
