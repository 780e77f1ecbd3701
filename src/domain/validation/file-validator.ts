// The landing rules (spec section 2, scopes `file` and `row`) over typed column batches, in the
// same pass that decodes the file. Loops run a column at a time over typed arrays; uniqueness is
// tracked across the whole file (a Map from key to its first line), not per batch.
import type { ColumnBatch, NumberColumn, ParseFailure, StringColumn } from '../columns.js';
import { ORDER_STATUSES, SCHEMAS, type DatasetName } from '../datasets.js';
import { RuleCounter } from './rule-counter.js';
import { DEFAULT_SAMPLE_CAP, type RuleId, type Severity, type ValidationVerdict } from './verdict.js';

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

const STATUSES: ReadonlySet<string> = new Set(ORDER_STATUSES);
const STATUS_LIST = ORDER_STATUSES.join(', ');
const MONEY_COLUMNS: Record<DatasetName, readonly string[]> = {
  orders: [],
  order_items: ['sale_price'],
  products: ['cost', 'retail_price'],
};

const cents = (v: number): string => {
  const a = Math.abs(v);
  return `${v < 0 ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
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
  const orderProduct = dataset === 'order_items' ? rule('unique.order-product', 'warn', 'file') : undefined;
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
      const report = (r: RuleCounter, row: number, column: string, value: string | null, message: string): void => {
        const line = lines[row] ?? 0;
        r.fail({ file, line, key: keys[row] ?? null, column, value, message });
        if (r.severity !== 'error') return;
        const reasons = failing.get(line);
        const reason = `${r.rule}: ${message}`;
        if (reasons === undefined) failing.set(line, [reason]);
        else reasons.push(reason);
      };

      typeParse.check(n);
      const unparsed = new Set<string>();
      for (const f of parseFailures) {
        unparsed.add(`${f.row}|${f.column}`);
        report(typeParse, f.row, f.column, f.raw, `${f.message} (line ${f.line})`);
      }

      notNull.check(n);
      for (const spec of schema.columns) {
        if (!spec.required) continue;
        const col = batch.columns[spec.name];
        if (col === undefined) continue;
        for (let i = 0; i < n; i++) {
          const missing = col.type === 'string' ? col.values[i] === null : col.valid[i] === 0;
          if (missing && !unparsed.has(`${i}|${spec.name}`)) {
            report(notNull, i, spec.name, null, `${spec.name} is empty but required in ${dataset}; fill it in`);
          }
        }
      }

      uniqueKey.check(n);
      for (let i = 0; i < n; i++) {
        const k = keys[i];
        if (k === null || k === undefined) continue;
        const first = seenKeys.get(k);
        if (first === undefined) seenKeys.set(k, lines[i] ?? 0);
        else report(uniqueKey, i, schema.key, k, `${schema.key} "${k}" repeats (first on line ${first}); keep one row per ${schema.key}`);
      }

      if (orderProduct !== undefined) {
        orderProduct.check(n);
        const orders = (batch.columns['order_id'] as StringColumn).values;
        const products = (batch.columns['product_id'] as StringColumn).values;
        for (let i = 0; i < n; i++) {
          const o = orders[i];
          const p = products[i];
          if (o === null || o === undefined || p === null || p === undefined) continue;
          const pair = `${o}\u0000${p}`;
          const first = seenPairs.get(pair);
          if (first === undefined) seenPairs.set(pair, lines[i] ?? 0);
          else report(orderProduct, i, 'product_id', `${o}/${p}`, `order ${o} holds product ${p} again (first on line ${first}): a second unit, reported only`);
        }
      }

      if (status !== undefined) {
        status.check(n);
        const values = (batch.columns['status'] as StringColumn).values;
        for (let i = 0; i < n; i++) {
          const s = values[i];
          if (s !== null && s !== undefined && !STATUSES.has(s)) {
            report(status, i, 'status', s, `status "${s}" is not one of ${STATUS_LIST}`);
          }
        }
      }

      if (nonNegative !== undefined) {
        nonNegative.check(n);
        for (const name of MONEY_COLUMNS[dataset]) {
          const col = batch.columns[name] as NumberColumn;
          for (let i = 0; i < n; i++) {
            if (col.valid[i] === 1 && (col.values[i] as number) < 0) {
              const v = cents(col.values[i] as number);
              report(nonNegative, i, name, v, `${name} is negative (${v}); amounts must be 0 or more`);
            }
          }
        }
      }

      if (numOfItem !== undefined) {
        numOfItem.check(n);
        const col = batch.columns['num_of_item'] as NumberColumn;
        for (let i = 0; i < n; i++) {
          const v = col.values[i] as number;
          if (col.valid[i] === 1 && (v < 0 || !Number.isInteger(v))) {
            report(numOfItem, i, 'num_of_item', String(v), `num_of_item is ${v}; it must be a whole number, 0 or more`);
          }
        }
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
