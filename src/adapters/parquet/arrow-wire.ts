// Arrow record batches of a staged file across the encode worker's boundary as their buffers:
// the typed arrays toRecordBatch made are transferred (a view that does not own its whole
// ArrayBuffer is copied first), and the worker makes the same batches of them again and their IPC
// stream buffer there. So the IPC serialization, whose join of ~13 MB a row group into fresh
// memory was ~0.2 s of the main thread at 1M order_items rows, runs beside the decode.
import * as arrow from 'apache-arrow';
import type { DatasetName } from '../../domain/datasets.js';
import { HASH_COLUMN, LINE_COLUMN, arrowTypes } from './arrow-columns.js';

type Values = Uint8Array | Int32Array | Uint32Array | BigInt64Array;

/** one column's arrow.Data as its buffers */
export interface WireData {
  readonly length: number;
  readonly nullCount: number;
  readonly nullBitmap: Uint8Array | null;
  readonly valueOffsets: Int32Array | null;
  readonly values: Values;
  /** a dictionary column's words (Utf8) */
  readonly dictionary: WireData | null;
}

/** a record batch's columns in the staging schema's order (stagingTypes) */
export interface WireBatch {
  readonly length: number;
  readonly columns: readonly WireData[];
}

/** the staged file's columns in order: the dataset's, then the source line and the row hash */
export const stagingTypes = (dataset: DatasetName): [string, arrow.DataType][] => [
  ...Object.entries(arrowTypes(dataset)),
  [LINE_COLUMN, new arrow.Uint32()],
  [HASH_COLUMN, new arrow.Int64()],
];

/** a view the receiver may take: its own whole ArrayBuffer, not yet listed */
const owned = <T extends Values>(v: T, transfer: Set<ArrayBuffer>): T => {
  const whole =
    v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength;
  if (whole && !transfer.has(v.buffer)) {
    transfer.add(v.buffer);
    return v;
  }
  const copy = v.slice() as T;
  transfer.add(copy.buffer as ArrayBuffer);
  return copy;
};

const wireData = (d: arrow.Data, transfer: Set<ArrayBuffer>, copy: boolean): WireData => {
  if (d.offset !== 0) throw new Error('a sliced Arrow column cannot cross to the encode worker');
  const take = <T extends Values>(v: T): T => {
    if (!copy) return owned(v, transfer);
    const c = v.slice() as T;
    transfer.add(c.buffer as ArrayBuffer);
    return c;
  };
  const bitmap = d.nullCount > 0 ? (d.nullBitmap as Uint8Array | undefined) : undefined;
  const dictionary = d.dictionary?.data[0];
  if (d.dictionary !== undefined && d.dictionary.data.length !== 1)
    throw new Error('a dictionary of several chunks cannot cross to the encode worker');
  return {
    length: d.length,
    nullCount: d.nullCount,
    nullBitmap: bitmap === undefined ? null : take(bitmap),
    valueOffsets: d.valueOffsets === undefined ? null : take(d.valueOffsets),
    values: take(d.values as Values),
    dictionary: dictionary === undefined ? null : wireData(dictionary, transfer, copy),
  };
};

/**
 * The batches as their buffers, and the ArrayBuffers to transfer. The line and hash columns are
 * views of the caller's arrays (the decoded batch's lines, the landing's hash words): copied.
 */
export function toWire(batches: readonly arrow.RecordBatch[]): {
  wire: WireBatch[];
  transfer: ArrayBuffer[];
} {
  const transfer = new Set<ArrayBuffer>();
  const wire = batches.map((rb) => {
    const fields = rb.schema.fields;
    return {
      length: rb.numRows,
      columns: rb.data.children.map((d, i) => {
        const name = fields[i]?.name;
        return wireData(d, transfer, name === LINE_COLUMN || name === HASH_COLUMN);
      }),
    };
  });
  return { wire, transfer: [...transfer] };
}

const dataOf = (type: arrow.DataType, w: WireData): arrow.Data => {
  const nulls = w.nullCount > 0 && w.nullBitmap !== null ? { nullBitmap: w.nullBitmap } : {};
  const common = { length: w.length, nullCount: w.nullCount, ...nulls };
  if (type instanceof arrow.Dictionary) {
    if (w.dictionary === null) throw new Error('a dictionary column came without its words');
    const words = dataOf(type.dictionary, w.dictionary) as arrow.Data<arrow.Utf8>;
    return arrow.makeData({
      type,
      ...common,
      data: w.values as Int32Array,
      dictionary: arrow.makeVector(words),
    });
  }
  if (type instanceof arrow.Utf8) {
    return arrow.makeData({
      type,
      ...common,
      valueOffsets: w.valueOffsets as Int32Array,
      data: w.values as Uint8Array,
    });
  }
  return arrow.makeData({ type: type as arrow.Int64, ...common, data: w.values as BigInt64Array });
};

/** the record batches again, on the worker: `types` from stagingTypes, made once per file */
export function fromWire(
  wire: readonly WireBatch[],
  types: readonly [string, arrow.DataType][],
): arrow.RecordBatch[] {
  return wire.map((b) => {
    if (b.columns.length !== types.length) throw new Error('the batch is not of this file');
    const children: Record<string, arrow.Data> = {};
    types.forEach(([name, type], i) => {
      children[name] = dataOf(type, b.columns[i] as WireData);
    });
    return new arrow.RecordBatch(children);
  });
}
