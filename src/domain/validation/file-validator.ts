// The landing rules (spec section 2, scopes `file` and `row`) over typed column batches, in the
// same pass that decodes the file. Loops run a column at a time over typed arrays; uniqueness is
// tracked across the whole file (a Map from key to its first line), not per batch.
import type { ColumnBatch, ParseFailure, StringColumn } from '../columns.js';
import { SCHEMAS, type DatasetName } from '../datasets.js';
import {
  checkNonNegative,
  checkNumOfItem,
  checkOrderProduct,
  checkRequired,
  checkStatus,
  checkUniqueKey,
  type Fail,
} from './row-checks.js';
import { FirstSeen } from './first-seen.js';
import { RuleCounter } from './rule-counter.js';
import {
  levelOf,
  levelsOf,
  SEED_RULES,
  type RuleSet,
  type TunableRule,
} from './rules-config.codec.js';
import {
  DEFAULT_SAMPLE_CAP,
  type RuleFailure,
  type RuleId,
  type RuleScope,
  type Severity,
  type ValidationVerdict,
} from './verdict.js';

export interface FileValidatorOptions {
  readonly file: string;
  readonly dataset: DatasetName;
  readonly extraColumns: readonly string[];
  readonly sampleCap?: number;
  /** the rules in force (default: the seed's) */
  readonly rules?: RuleSet;
  /** the file's row count when known up front (re-validating staged rows): the uniqueness
   *  tables are sized for it at once instead of growing (and copying) as keys arrive */
  readonly expectedRows?: number;
}

export interface FileValidation {
  readonly verdict: ValidationVerdict;
  /** error-severity reasons per source line: the quarantine file's `_reasons` */
  readonly failingLines: ReadonlyMap<number, readonly string[]>;
}

export interface FileValidator {
  add(batch: ColumnBatch, parseFailures: readonly ParseFailure[]): void;
  finish(): FileValidation;
}

const MONEY_COLUMNS: Record<DatasetName, readonly string[]> = {
  orders: [],
  order_items: ['sale_price'],
  products: ['cost', 'retail_price'],
};

/** one rule as the rules in force set it: a counter per level it reports at */
interface Rule {
  readonly id: RuleId;
  check(n: number): void;
  /** counts the failure at the level of its column; the level, or 'off' when not counted */
  fail(failure: RuleFailure): Severity | 'off';
}

export function createFileValidator(opts: FileValidatorOptions): FileValidator {
  const { file, dataset } = opts;
  const cap = opts.sampleCap ?? DEFAULT_SAMPLE_CAP;
  const schema = SCHEMAS[dataset];
  const ruleSet = opts.rules ?? SEED_RULES;
  const counters = new Map<string, RuleCounter>();
  const checked = new Map<RuleId, number>();
  const rule = (id: RuleId, levels: readonly Severity[], scope: RuleScope): Rule | undefined => {
    if (levels.length === 0) return undefined;
    for (const l of levels) counters.set(`${id}|${l}`, new RuleCounter(id, l, scope, cap));
    const fixed = levels.length === 1 && id.startsWith('schema.') ? levels[0] : undefined;
    return {
      id,
      check: (n) => void checked.set(id, (checked.get(id) ?? 0) + n),
      fail: (failure) => {
        const level = fixed ?? levelOf(ruleSet, dataset, id, failure.column);
        if (level !== 'off') counters.get(`${id}|${level}`)?.fail(failure);
        return level;
      },
    };
  };
  const tuned = (id: TunableRule, scope: RuleScope): Rule | undefined =>
    rule(id, levelsOf(ruleSet, dataset, id), scope);
  // the header rules are not tunable: without them the file cannot be read at all
  const columnsRule = rule('schema.columns', ['error'], 'file') as Rule;
  const duplicateRule = rule('schema.duplicate-columns', ['error'], 'file') as Rule;
  const extraRule = tuned('schema.extra', 'file');
  const notNull = tuned('required.not-null', 'row');
  const typeParse = tuned('type.parse', 'row');
  const uniqueKey = tuned('unique.key', 'file');
  const orderProduct = tuned('unique.order-product', 'file');
  const status = tuned(dataset === 'orders' ? 'domain.order-status' : 'domain.item-status', 'row');
  const nonNegative = tuned('range.non-negative', 'row');
  const numOfItem = tuned('range.num-of-item', 'row');

  columnsRule.check(1);
  duplicateRule.check(1);
  extraRule?.check(1);
  if (opts.extraColumns.length > 0) {
    extraRule?.fail({
      file,
      line: 1,
      key: null,
      value: opts.extraColumns.join(', '),
      message: `column(s) ${opts.extraColumns.join(', ')} are not part of ${dataset}; they are ignored (remove them to silence this warning)`,
    });
  }

  const failing = new Map<number, string[]>();
  const seenKeys = new FirstSeen(opts.expectedRows);
  const seenPairs = new FirstSeen(dataset === 'order_items' ? opts.expectedRows : 0, true);
  let rows = 0;

  return {
    add(batch, parseFailures) {
      const n = batch.length;
      rows += n;
      const lines = batch.lines;
      const keys = (batch.columns[schema.key] as StringColumn).values;
      const report = (
        r: Rule,
        row: number,
        column: string,
        value: string | null,
        message: string,
      ): void => {
        const line = lines[row] ?? 0;
        const level = r.fail({ file, line, key: keys[row] ?? null, column, value, message });
        if (level !== 'error') return;
        const reasons = failing.get(line);
        const reason = `${r.id}: ${message}`;
        if (reasons === undefined) failing.set(line, [reason]);
        else reasons.push(reason);
      };

      const failOn =
        (r: Rule): Fail =>
        (row, column, value, message) =>
          report(r, row, column, value, message);
      const unparsed = new Set<string>();
      typeParse?.check(n);
      for (const f of parseFailures) {
        unparsed.add(`${f.row}|${f.column}`);
        if (typeParse !== undefined)
          report(typeParse, f.row, f.column, f.raw, `${f.message} (line ${f.line})`);
      }
      if (notNull !== undefined) {
        notNull.check(n);
        checkRequired(batch, schema, unparsed, failOn(notNull));
      }
      if (uniqueKey !== undefined) {
        uniqueKey.check(n);
        checkUniqueKey(batch, schema.key, seenKeys, failOn(uniqueKey));
      }
      if (orderProduct !== undefined) {
        orderProduct.check(n);
        checkOrderProduct(batch, seenPairs, failOn(orderProduct));
      }
      if (status !== undefined) {
        status.check(n);
        checkStatus(batch, failOn(status));
      }
      if (nonNegative !== undefined) {
        nonNegative.check(n);
        checkNonNegative(batch, MONEY_COLUMNS[dataset], failOn(nonNegative));
      }
      if (numOfItem !== undefined) {
        numOfItem.check(n);
        checkNumOfItem(batch, failOn(numOfItem));
      }
    },

    finish() {
      const results = [...counters.values()].map((r) => {
        r.checked = checked.get(r.rule) ?? 0;
        return r.result();
      });
      return {
        verdict: {
          subject: file,
          dataset,
          ok: !results.some((r) => r.severity === 'error' && r.failed > 0),
          rowsChecked: rows,
          rules: results,
        },
        failingLines: failing,
      };
    },
  };
}

export { verdictForProblem } from './problem-verdict.js';
