// Hints for the two usual export mistakes a header shows: another delimiter (`;` or tab, as
// spreadsheet exports in many locales use) and near-miss column names (`orderid`, `Order ID`).
import { closeSync, openSync, readSync } from 'node:fs';
import { DATASET_NAMES, type DatasetName, SCHEMAS } from '../../domain/datasets.js';

const firstLine = (path: string): string | null => {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(4096);
      const n = readSync(fd, buf, 0, buf.length, 0);
      return (
        buf
          .subarray(0, n)
          .toString('utf8')
          .split(/\r?\n/)[0]
          ?.replace(/^\uFEFF/, '') ?? null
      );
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
};

const squash = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const KNOWN = [...new Set(Object.values(SCHEMAS).flatMap((s) => s.columns.map((c) => c.name)))];

/** a hint for the header of the file at `path`, or null when nothing looks amiss */
export const headerHint = (path: string): string | null => {
  const header = firstLine(path);
  if (header === null) return null;
  if (!header.includes(',')) {
    const delimiter = header.includes(';') ? ';' : header.includes('\t') ? 'a tab' : null;
    if (delimiter !== null)
      return `the header is separated by ${delimiter}, not commas: export the file as comma-separated CSV`;
  }
  const near = header
    .split(',')
    .map((c) => c.trim().replace(/^"|"$/g, ''))
    .filter((c) => !KNOWN.includes(c))
    .flatMap((c) => {
      const match = KNOWN.find((k) => squash(k) === squash(c));
      return match === undefined ? [] : [`"${c}" -> "${match}"`];
    });
  return near.length === 0
    ? null
    : `rename column(s) ${near.join(', ')} (names must match exactly)`;
};

/**
 * The dataset the header of the file at `path` looks like, told cheaply before its landing (a
 * hint only: the landing tells it for good): of the datasets whose required columns it all has,
 * the one it has most columns of; undefined when none or a tie.
 */
export const headerDataset = (path: string): DatasetName | undefined => {
  const header = firstLine(path);
  if (header === null) return undefined;
  const present = new Set(header.split(',').map((c) => c.trim().replace(/^"|"$/g, '')));
  const ranked = DATASET_NAMES.filter((d) =>
    SCHEMAS[d].columns.every((c) => !c.required || present.has(c.name)),
  )
    .map((d) => ({ d, n: SCHEMAS[d].columns.filter((c) => present.has(c.name)).length }))
    .sort((a, b) => b.n - a.n);
  const [first, second] = ranked;
  return first === undefined || first.n === second?.n ? undefined : first.d;
};
