// Decoding and validating a landed file in one pass: the header tells the dataset, every batch
// goes through the landing rules as it is decoded.
import type { ColumnBatch } from '../domain/columns.js';
import { DATASET_NAMES, type DatasetName } from '../domain/datasets.js';
import { createFileValidator, type FileValidator } from '../domain/validation/file-validator.js';
import { verdictForProblem } from '../domain/validation/problem-verdict.js';
import type { RuleSet } from '../domain/validation/rules-config.codec.js';
import type { ValidationVerdict } from '../domain/validation/verdict.js';
import type { CsvDecoder } from '../ports/csv-decoder.port.js';
import type { ObjectStore } from '../ports/object-store.port.js';

export interface Decoded {
  /** null when the file is not usable CSV of a known dataset */
  readonly dataset: DatasetName | null;
  readonly verdict: ValidationVerdict;
  readonly failingLines: ReadonlyMap<number, readonly string[]>;
  readonly batches: readonly ColumnBatch[];
}

const datasetOfKey = (fileKey: string): DatasetName | undefined =>
  DATASET_NAMES.find((d) => fileKey.startsWith(`incoming/${d}/`));

/** receives each decoded batch as it comes (so a file need not be held whole) */
export type BatchSink = (dataset: DatasetName, batch: ColumnBatch) => void;

/**
 * keepBatches: hold the batches for the caller (needed when failing rows are only known at the
 * end, e.g. a duplicate key); otherwise they go to `sink` only.
 */
export const decodeLanding = async (
  objects: ObjectStore,
  decoder: CsvDecoder,
  fileKey: string,
  options: { readonly keepBatches: boolean; readonly sink?: BatchSink; readonly rules?: RuleSet },
): Promise<Decoded> => {
  const expectedDataset = datasetOfKey(fileKey);
  let dataset: DatasetName | null = null;
  let validator: FileValidator | null = null;
  const batches: ColumnBatch[] = [];
  const source = objects.getStream(fileKey);
  for await (const event of decoder.decode(
    source,
    fileKey,
    expectedDataset ? { expectedDataset } : {},
  )) {
    if (event.kind === 'header') {
      dataset = event.dataset;
      validator = createFileValidator({
        file: fileKey,
        dataset,
        extraColumns: event.extra,
        ...(options.rules ? { rules: options.rules } : {}),
      });
    } else if (event.kind === 'batch') {
      validator?.add(event.batch, event.parseFailures);
      if (options.keepBatches) batches.push(event.batch);
      if (dataset !== null) options.sink?.(dataset, event.batch);
    } else {
      const verdict = verdictForProblem(fileKey, event.problem);
      return { dataset: null, verdict, failingLines: new Map(), batches: [] };
    }
  }
  if (validator === null) {
    const verdict = verdictForProblem(fileKey, {
      _tag: 'Empty',
      message: `${fileKey}: the file is empty (no header line); export it again with its header row.`,
    });
    return { dataset: null, verdict, failingLines: new Map(), batches: [] };
  }
  const { verdict, failingLines } = validator.finish();
  return { dataset, verdict, failingLines, batches };
};
