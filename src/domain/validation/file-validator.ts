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
import { RuleCounter } from './rule-counter.js';
import {
  DEFAULT_SAMPLE_CAP,
  type RuleId,
  type Severity,
  type ValidationVerdict,
} from './verdict.js';

export interface FileValidatorOptions {
  readonly file: string;
  readonly dataset: DatasetName;
  readonly extraColumns: readonly string[];
  readonly sampleCap?: number;
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

export function createFileValidator(opts: FileValidatorOptions): FileValidator {
  const { file, dataset } = opts;
  const cap = opts.sampleCap ?? DEFAULT_SAMPLE_CAP;
  const schema = SCHEMAS[dataset];
  const rules = new Map<RuleId, RuleCounter>();
  const rule = (id: RuleId, severity: Severity, scope: 'file' | 'row'): RuleCounter => {
    const r = new RuleCounter(id, severity, scope, cap);
    rules.set(id, r);
    return r;
  };
  const columnsRule = rule('schema.columns', 'error', 'file');
  const duplicateRule = rule('schema.duplicate-columns', 'error', 'file');
  const extraRule = rule('schema.extra', 'warn', 'file');
  const notNull = rule('required.not-null', 'error', 'row');
  const typeParse = rule('type.parse', 'error', 'row');
  const uniqueKey = rule('unique.key', 'error', 'file');
  const orderProduct =
    dataset === 'order_items' ? rule('unique.order-product', 'warn', 'file') : undefined;
  const status =
    dataset === 'orders'
      ? rule('domain.order-status', 'error', 'row')
      : dataset === 'order_items'
        ? rule('domain.item-status', 'warn', 'row')
        : undefined;
  const nonNegative = dataset === 'orders' ? undefined : rule('range.non-negative', 'error', 'row');
  const numOfItem = dataset === 'orders' ? rule('range.num-of-item', 'error', 'row') : undefined;

  columnsRule.check(1);
  duplicateRule.check(1);
  extraRule.check(1);
  if (opts.extraColumns.length > 0) {
    extraRule.fail({
      file,
      line: 1,
      key: null,
      value: opts.extraColumns.join(', '),
      message: `column(s) ${opts.extraColumns.join(', ')} are not part of ${dataset}; they are ignored (remove them to silence this warning)`,
    });
  }

  const failing = new Map<number, string[]>();
  const seenKeys = new Map<string, number>();
  const seenPairs = new Map<string, number>();
  let rows = 0;

  return {
    add(batch, parseFailures) {
      const n = batch.length;
      rows += n;
      const lines = batch.lines;
      const keys = (batch.columns[schema.key] as StringColumn).values;
      const report = (
        r: RuleCounter,
        row: number,
        column: string,
        value: string | null,
        message: string,
      ): void => {
        const line = lines[row] ?? 0;
        r.fail({ file, line, key: keys[row] ?? null, column, value, message });
        if (r.severity !== 'error') return;
        const reasons = failing.get(line);
        const reason = `${r.rule}: ${message}`;
        if (reasons === undefined) failing.set(line, [reason]);
        else reasons.push(reason);
      };

      const failOn =
        (r: RuleCounter): Fail =>
        (row, column, value, message) =>
          report(r, row, column, value, message);
      typeParse.check(n);
      const unparsed = new Set<string>();
      for (const f of parseFailures) {
        unparsed.add(`${f.row}|${f.column}`);
        report(typeParse, f.row, f.column, f.raw, `${f.message} (line ${f.line})`);
      }
      notNull.check(n);
      checkRequired(batch, schema, unparsed, failOn(notNull));
      uniqueKey.check(n);
      checkUniqueKey(batch, schema.key, seenKeys, failOn(uniqueKey));
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
      const results = [...rules.values()].map((r) => r.result());
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
