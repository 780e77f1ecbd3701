// Tells a file's dataset from its header (the set of column names), or says why it cannot.
import { DATASET_NAMES, SCHEMAS, type DatasetName } from '../../domain/datasets.js';
import type { FileProblem } from '../../ports/csv-decoder.port.js';

export interface HeaderMatch {
  readonly dataset: DatasetName;
  readonly columns: readonly string[];
  readonly extra: readonly string[];
  /** for each schema column (in schema order), its index in the CSV record */
  readonly indexes: readonly number[];
}

const expectedList = (d: DatasetName): string => SCHEMAS[d].columns.map((c) => c.name).join(', ');

function missingOf(d: DatasetName, present: ReadonlySet<string>): string[] {
  return SCHEMAS[d].columns.map((c) => c.name).filter((c) => !present.has(c));
}

// Jaccard similarity: an order_items header missing sale_price must look like order_items, not
// like orders (which it also nearly covers), so the columns it has beyond a schema count against it.
function similarity(d: DatasetName, present: ReadonlySet<string>): number {
  const names = SCHEMAS[d].columns.map((c) => c.name);
  const common = names.filter((c) => present.has(c)).length;
  return common / (names.length + present.size - common);
}

export function matchHeader(
  file: string,
  raw: readonly string[],
  expected?: DatasetName,
  /** the header's line (1 unless blank lines come first) */
  line = 1,
): HeaderMatch | FileProblem {
  const columns = raw.map((c) => c.trim());
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const c of columns) (seen.has(c) ? dups : seen).add(c);
  if (dups.size > 0) {
    const names = [...dups].map((c) => `"${c}"`).join(', ');
    return {
      _tag: 'DuplicateColumns',
      line,
      message: `${file}, line ${line} (header): column ${names} appears more than once; keep one column per name and land the file again.`,
    };
  }
  const complete = DATASET_NAMES.filter((d) => missingOf(d, seen).length === 0);
  const ranked = [...DATASET_NAMES].sort((a, b) => similarity(b, seen) - similarity(a, seen));
  let dataset: DatasetName | undefined;
  if (complete.length > 0) {
    dataset =
      complete.length === 1
        ? complete[0]
        : complete.sort((a, b) => similarity(b, seen) - similarity(a, seen))[0];
    if (expected !== undefined && !complete.includes(expected)) {
      return {
        _tag: 'DatasetMismatch',
        line,
        dataset,
        message: `${file}: the header is that of "${dataset}" but the file landed under incoming/${expected}/; move it to incoming/${dataset}/ or fix the header (${expected} needs: ${expectedList(expected)}).`,
      };
    }
    dataset = expected ?? dataset;
  }
  if (dataset === undefined) {
    const best = ranked[0] as DatasetName;
    const second = ranked[1] as DatasetName;
    const target =
      expected ??
      (similarity(best, seen) >= 0.5 && similarity(best, seen) > similarity(second, seen)
        ? best
        : undefined);
    if (target !== undefined) {
      const missing = missingOf(target, seen);
      return {
        _tag: 'MissingColumns',
        line,
        dataset: target,
        message: `${file}, line ${line} (header): the ${target} header lacks column(s) ${missing.join(', ')}; add them (the ${target} header is: ${expectedList(target)}).`,
      };
    }
    const resemble = ranked
      .slice(0, 2)
      .map((d) => `${d} (missing ${missingOf(d, seen).join(', ')})`)
      .join('; ');
    return {
      _tag: 'UnknownHeader',
      line,
      message: `${file}, line ${line} (header): the columns [${columns.join(', ')}] match no dataset. Closest: ${resemble}. Use the exact header of orders, order_items or products.`,
    };
  }
  const schema = SCHEMAS[dataset];
  const names = new Set(schema.columns.map((c) => c.name));
  return {
    dataset,
    columns,
    extra: columns.filter((c) => !names.has(c)),
    indexes: schema.columns.map((c) => columns.indexOf(c.name)),
  };
}

export const isProblem = (m: HeaderMatch | FileProblem): m is FileProblem => '_tag' in m;
