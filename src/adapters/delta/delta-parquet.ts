// Parquet <-> Arrow through parquet-wasm. Files here are small (one partition or a checkpoint),
// so the whole-buffer IPC round trip is simpler than FFI and cheap enough.
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { concatTyped } from '../../domain/typed-arrays.js';

export function readParquetBytes(bytes: Uint8Array): arrow.Table {
  return arrow.tableFromIPC(pw.readParquet(bytes).intoIPCStream());
}

/**
 * parquet-java's created_by form `<application> version <semver> (build <id>)`: parquet-java
 * (and so Spark) ignores string statistics of a file whose created_by does not parse
 * (CorruptStatistics, PARQUET-251), and trusts those of any application other than old parquet-mr.
 */
export const CREATED_BY = 'shop-pipeline version 1.0.0 (build delta-writer)';

/**
 * plain: columns written without a dictionary (DeltaTableDefinition.plainColumns); the others
 * get one, parquet-rs's default, which falls back to plain pages when it grows too big.
 */
export function writeParquetBytes(table: arrow.Table, plain: readonly string[] = []): Uint8Array {
  return pw.writeParquet(
    pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')),
    writerProperties(plain),
  );
}

function writerProperties(plain: readonly string[]): pw.WriterProperties {
  let builder = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression.SNAPPY)
    .setCreatedBy(CREATED_BY);
  for (const name of plain) builder = builder.setColumnDictionaryEnabled(name, false);
  return builder.build();
}

/**
 * Rows per slice of writeParquetChunked: a multiple of parquet-rs's write batch (1024 rows).
 * A 430k-row order_facts date (3M facts over 7 dates) grew parquet-wasm's memory, which never
 * shrinks, to 82 MB written whole, 36 MB in slices of this size (and the process peak by 100 MB
 * less: no IPC copy of the whole date either), in less time.
 */
export const PARQUET_SLICE_ROWS = 65_536;

/**
 * writeParquetBytes' file (same properties, one row group up to parquet-rs's 1M rows), the
 * table handed to the encoder a slice at a time: each slice crosses into wasm only when the
 * encoder asks for it, so the wasm memory holds a slice and the encoded row group, not the whole
 * table's IPC copy and its arrays. A table of at most `sliceRows` rows gives writeParquetBytes'
 * bytes exactly; a bigger one may have its data pages cut at other rows (the same values, a
 * file as valid, a few bytes apart).
 */
export async function writeParquetChunked(
  table: arrow.Table,
  plain: readonly string[] = [],
  sliceRows: number = PARQUET_SLICE_ROWS,
): Promise<Uint8Array> {
  if (table.numRows <= sliceRows) return writeParquetBytes(table, plain);
  let at = 0;
  const input = new ReadableStream<pw.RecordBatch>(
    {
      // pulled by the encoder: the next slice is made once the one before is written
      pull: (controller) => {
        if (at >= table.numRows) {
          controller.close();
          return;
        }
        const end = Math.min(at + sliceRows, table.numRows);
        const slice = pw.Table.fromIPCStream(arrow.tableToIPC(table.slice(at, end), 'stream'));
        at = end;
        try {
          for (const batch of slice.recordBatches()) controller.enqueue(batch);
        } finally {
          slice.free();
        }
      },
    },
    { highWaterMark: 0 },
  );
  const output = (await pw.transformParquetStream(
    input,
    writerProperties(plain),
  )) as unknown as AsyncIterable<Uint8Array>;
  const parts: Uint8Array[] = [];
  // read as it is produced, so written bytes leave wasm memory at once
  for await (const part of output) parts.push(part);
  return concatTyped(parts, Uint8Array);
}

interface JsonConvertible {
  toJSON(): unknown;
}

const hasToJson = (v: object): v is JsonConvertible =>
  typeof (v as Partial<JsonConvertible>).toJSON === 'function';

/** Arrow cell (struct/map row, list vector, bigint) -> plain JSON-like value. */
export function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof arrow.Vector) return [...(value as Iterable<unknown>)].map(toPlain);
  if (typeof value === 'object' && !(value instanceof Uint8Array) && hasToJson(value)) {
    const json = value.toJSON();
    if (json === null || typeof json !== 'object') return json;
    if (Array.isArray(json)) return json.map(toPlain);
    return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}
