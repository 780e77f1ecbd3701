// Per-row content hashes of a typed batch: the "version" of a row. Identical rows hash equal
// whatever file or line they came from; any changed cell changes the hash. Used to tell an
// identical re-delivery from a corrected one, and to find conflicting versions in a group.
import type { ColumnBatch } from './columns.js';
import { SCHEMAS } from './datasets.js';
import { Hash64 } from './fingerprint.js';

export const rowHashes = (batch: ColumnBatch): string[] => {
  const specs = SCHEMAS[batch.dataset].columns;
  const cols = specs.map((s) => batch.columns[s.name]);
  const out = new Array<string>(batch.length);
  const h = new Hash64();
  for (let r = 0; r < batch.length; r++) {
    h.reset().text(batch.dataset).code(0x7c);
    for (const c of cols) {
      // a column missing from the batch hashes as null in every row
      if (c === undefined) h.field(null);
      else if (c.type === 'string') h.field(c.values[r] ?? null);
      else if (c.valid[r] === 1) h.num(c.values[r] as number);
      else h.field(null);
    }
    out[r] = h.digest();
  }
  return out;
};

/** The hash of one row, for callers that look at a single row. */
export const rowHash = (batch: ColumnBatch, row: number): string => {
  const one = rowHashes(sliceRow(batch, row));
  return one[0] as string;
};

const sliceRow = (batch: ColumnBatch, row: number): ColumnBatch => {
  const columns: Record<string, ColumnBatch['columns'][string]> = {};
  for (const [name, c] of Object.entries(batch.columns)) {
    columns[name] =
      c.type === 'string'
        ? { type: 'string', values: [c.values[row] ?? null] }
        : {
            type: c.type,
            values: c.values.subarray(row, row + 1),
            valid: c.valid.subarray(row, row + 1),
          };
  }
  return { dataset: batch.dataset, length: 1, columns, lines: batch.lines.subarray(row, row + 1) };
};
