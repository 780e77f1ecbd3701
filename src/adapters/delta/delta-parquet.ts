// Parquet <-> Arrow through parquet-wasm. Files here are small (one partition or a checkpoint),
// so the whole-buffer IPC round trip is simpler than FFI and cheap enough.
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';

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
  let builder = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression.SNAPPY)
    .setCreatedBy(CREATED_BY);
  for (const name of plain) builder = builder.setColumnDictionaryEnabled(name, false);
  return pw.writeParquet(
    pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')),
    builder.build(),
  );
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
