// A staged Parquet file as written before staged files carried their rows' hashes: the same
// file with the `_hash` column taken out (for the tests of the fallback that hashes again).
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { HASH_COLUMN } from '../../../src/adapters/parquet/arrow-columns.js';

export const withoutHashColumn = (bytes: Uint8Array): Uint8Array => {
  const wasm = pw.readParquet(bytes);
  const table = arrow.tableFromIPC(wasm.intoIPCStream());
  const names = table.schema.fields.map((f) => f.name).filter((n) => n !== HASH_COLUMN);
  const stripped = pw.Table.fromIPCStream(arrow.tableToIPC(table.select(names), 'stream'));
  return pw.writeParquet(stripped);
};
