// ColumnBatch <-> Arrow record batch, straight from/to typed arrays.
// Staging schema: strings Utf8 (Dictionary<Int32, Utf8> for low-cardinality ones), int and money
// Int64 (money as integer cents: exact, identical to the in-memory form, and cheap to convert;
// decimal(12,2) would need 128-bit words built by hand in arrow-js for no gain in exactness),
// timestamps Timestamp(ms, 'UTC'), and `_line` Uint32 for the source line of each row.
import * as arrow from 'apache-arrow';
import type { Column, ColumnBatch } from '../../domain/columns.js';
import { SCHEMAS, type ColumnType, type DatasetName } from '../../domain/datasets.js';

export const LINE_COLUMN = '_line';
const DICTIONARY_COLUMNS = new Set(['status', 'category', 'brand', 'department']);

export type ArrowTypes = Record<string, arrow.DataType>;

/** One type object per column for a whole file: a dictionary's id must not change between
 *  batches, or the IPC writer would see a new schema. */
export function arrowTypes(dataset: DatasetName): ArrowTypes {
  const types: ArrowTypes = {};
  let dictionaryId = 0;
  for (const c of SCHEMAS[dataset].columns) {
    types[c.name] =
      c.type === 'string'
        ? DICTIONARY_COLUMNS.has(c.name)
          ? new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32(), dictionaryId++)
          : new arrow.Utf8()
        : c.type === 'timestamp'
          ? new arrow.TimestampMillisecond('UTC')
          : new arrow.Int64();
  }
  return types;
}

function numberData(type: arrow.DataType, values: Float64Array, valid: Uint8Array): arrow.Data {
  const n = values.length;
  const data = new BigInt64Array(n);
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (valid[i] === 1) {
      data[i] = BigInt(values[i] as number);
      bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
    } else nulls++;
  }
  return arrow.makeData({
    type: type as arrow.Int64,
    length: n,
    nullCount: nulls,
    data,
    nullBitmap: nulls > 0 ? bitmap : undefined,
  });
}

export function toRecordBatch(batch: ColumnBatch, types: ArrowTypes): arrow.RecordBatch {
  const children: Record<string, arrow.Data> = {};
  for (const [name, type] of Object.entries(types)) {
    const col = batch.columns[name];
    if (col === undefined) throw new Error(`batch of ${batch.dataset} lacks column ${name}`);
    children[name] =
      col.type === 'string'
        ? (arrow.vectorFromArray(col.values, type as arrow.Utf8).data[0] as arrow.Data)
        : numberData(type, col.values, col.valid);
  }
  children[LINE_COLUMN] = arrow.makeData({ type: new arrow.Uint32(), length: batch.length, data: batch.lines });
  return new arrow.RecordBatch(children);
}

function toColumn(type: ColumnType, vector: arrow.Vector): Column {
  if (type === 'string') return { type, values: Array.from(vector as arrow.Vector<arrow.Utf8>) };
  const n = vector.length;
  const values = new Float64Array(n);
  const valid = new Uint8Array(n);
  let row = 0;
  for (const d of vector.data) {
    const data = d.values as BigInt64Array;
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    for (let i = 0; i < d.length; i++, row++) {
      const bit = d.offset + i;
      if (bitmap === undefined || (((bitmap[bit >> 3] as number) >> (bit & 7)) & 1) === 1) {
        values[row] = Number(data[i]);
        valid[row] = 1;
      }
    }
  }
  return { type, values, valid };
}

export function fromRecordBatch(
  rb: arrow.RecordBatch,
  dataset: DatasetName,
  columns: readonly string[],
): ColumnBatch {
  const out: Record<string, Column> = {};
  for (const c of SCHEMAS[dataset].columns) {
    if (!columns.includes(c.name)) continue;
    const vector = rb.getChild(c.name);
    if (vector === null) throw new Error(`staged ${dataset} file lacks column ${c.name}`);
    out[c.name] = toColumn(c.type, vector);
  }
  const lineVector = rb.getChild(LINE_COLUMN);
  const lines = new Uint32Array(rb.numRows);
  if (lineVector !== null) {
    let row = 0;
    for (const d of lineVector.data) {
      lines.set((d.values as Uint32Array).subarray(0, d.length), row);
      row += d.length;
    }
  }
  return { dataset, length: rb.numRows, columns: out, lines };
}
