// A staged file read back as batches with their rows' hashes: the one way StagedRows and
// StagedFilePrefetch read it (same batch size, same shared-value columns), so a file decoded
// ahead gives the batches a read at load time would give.
import type { ColumnBatch } from '../domain/columns.js';
import type { DatasetName } from '../domain/datasets.js';
import { rowHashWords } from '../domain/row-hashes.js';
import { SHARED_VALUE_COLUMNS } from '../domain/stage-columns.js';
import type { StagingCodec } from '../ports/staging-codec.port.js';

export const STAGED_BATCH_ROWS = 65_536;

/** a staged batch with its rows' hashes ([lo, hi] words per row, rowHashWords' layout) */
export interface StagedBatch {
  readonly batch: ColumnBatch;
  readonly hashes: Uint32Array;
}

/**
 * The staged file's batches with their hashes: `only` these columns, unless null (whole) or the
 * file has no hash column (then every column, to hash the rows: it was staged before files
 * carried their hashes).
 */
export async function* stagedBatches(
  codec: StagingCodec,
  bytes: Uint8Array,
  dataset: DatasetName,
  only: readonly string[] | null,
): AsyncIterable<StagedBatch> {
  const whole = only === null;
  const columns = whole ? {} : { columns: only };
  const shared = SHARED_VALUE_COLUMNS[dataset];
  const options = { batchSize: STAGED_BATCH_ROWS, shared, ...columns };
  let unhashed = false;
  for await (const read of codec.readHashed(bytes, dataset, options)) {
    if (read.hashes !== null) {
      yield { batch: read.batch, hashes: read.hashes };
    } else if (whole) {
      yield { batch: read.batch, hashes: rowHashWords(read.batch) };
    } else {
      unhashed = true;
      break;
    }
  }
  if (!unhashed) return;
  const all = { batchSize: STAGED_BATCH_ROWS, shared };
  for await (const { batch } of codec.readHashed(bytes, dataset, all))
    yield { batch, hashes: rowHashWords(batch) };
}
