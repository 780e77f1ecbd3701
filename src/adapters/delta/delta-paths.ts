// Where a data file of a partition lives. Spark's rule (ExternalCatalogUtils.escapePathName):
// in `column=value` directory names the characters a path or Hive would misread (`%`, `/`, `=`,
// `:`, `#`, `?`, quotes, control characters...) become `%XX`; a null (or empty) value is
// __HIVE_DEFAULT_PARTITION__. The `add.path` in the log is a URI, so the escaped key is
// URI-encoded once more (`100%` -> directory `100%25` -> path `100%2525`); readers decode it.
import { randomBytes } from 'node:crypto';
import type { PartitionValues } from './delta-actions.js';

export const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

const ESCAPED = new Set([...'"#%\'*/:=?\\{[]^', '\u007f']);

export function escapePathName(segment: string): string {
  let out = '';
  for (const c of segment) {
    const code = c.charCodeAt(0);
    const escape = (code >= 0x01 && code <= 0x1f) || ESCAPED.has(c);
    out += escape ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : c;
  }
  return out;
}

/** `a=1/b=x%2Fy/` for the values in partition column order */
export const partitionDir = (values: PartitionValues): string =>
  Object.entries(values)
    .map(
      ([c, v]) => `${escapePathName(c)}=${v === null || v === '' ? HIVE_NULL : escapePathName(v)}/`,
    )
    .join('');

// UUIDv7: 48 bits of epoch milliseconds, then random bits. The creation time in the name lets
// vacuum judge the age of a file no commit mentions (a crashed writer's leftover) without a
// modification time, which the object-store port does not give.
function uuidV7(now: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = ((b[6] as number) & 0x0f) | 0x70;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** relative object key of a new data file (not URI-encoded) */
export const dataFileName = (values: PartitionValues, now: number): string =>
  `${partitionDir(values)}part-00000-${uuidV7(now)}-c000.snappy.parquet`;

/** the log's `path` of a relative object key */
export const logPath = (key: string): string => encodeURI(key);

/** creation time of a file this writer named, else null */
export function createdAt(key: string): number | null {
  const m =
    /part-\d{5}-([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/.exec(key);
  return m ? parseInt(`${m[1]}${m[2]}`, 16) : null;
}
