// Local delivery of a file (CLI `ingest`/`watch`, demo): puts its bytes under incoming/ and lands
// it. An identical file already in the log is not copied again; a different file with the same
// name gets its content hash in the key, so the earlier one is never overwritten.
import type { Either } from 'fp-ts/lib/Either.js';
import { right } from 'fp-ts/lib/Either.js';
import { DATASET_NAMES, type DatasetName } from '../domain/datasets.js';
import { fileStreamId } from '../domain/events.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { Hasher } from '../ports/hasher.port.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import { archiveKeyFor } from './archive-group.use-case.js';
import type { LandedFile, LandFile, RejectedFile } from './land-file.use-case.js';
import { earlierVerdict } from './landing-dedupe.js';

/** a folder named like a dataset (orders/, order_items/, products/) becomes the key prefix */
export const datasetHint = (folder: string | undefined): DatasetName | undefined =>
  DATASET_NAMES.find((d) => d === folder);

const safeName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_') || 'file.csv';

const withHash = (name: string, hash: string): string => {
  const dot = name.lastIndexOf('.');
  const tag = hash.slice(0, 12);
  return dot > 0 ? `${name.slice(0, dot)}.${tag}${name.slice(dot)}` : `${name}.${tag}`;
};

export class DeliverFile {
  constructor(
    private readonly objects: ObjectStore,
    private readonly events: EventStore,
    private readonly hasher: Hasher,
    private readonly land: LandFile,
  ) {}

  /** a file rejected under another policy or rules is landed again: LandFile decides */

  async execute(
    name: string,
    bytes: Uint8Array,
    dataset?: DatasetName,
  ): Promise<Either<RejectedFile, LandedFile>> {
    const hash = this.hasher.hash(bytes);
    const earlier = earlierVerdict(
      await this.events.readStream(fileStreamId(hash)),
      this.land.judgedBy,
    );
    if (
      earlier !== undefined &&
      (earlier.type === 'FileLanded' || earlier.type === 'FileRejected')
    ) {
      const { fileKey, dataset: known, reportKey } = earlier.data;
      return right({
        _tag: 'Duplicate',
        fileKey,
        contentHash: hash,
        dataset: known,
        rows: 0,
        warnings: [],
        quarantinedRows: 0,
        errors: [],
        reportKey,
        groups: [],
      });
    }
    const prefix = dataset === undefined ? 'incoming/' : `incoming/${dataset}/`;
    let key = `${prefix}${safeName(name)}`;
    // an earlier file of that name may sit in incoming/ or, processed, in archive/
    const existing = (await this.objects.get(key)) ?? (await this.objects.get(archiveKeyFor(key)));
    if (existing !== null && this.hasher.hash(existing) !== hash)
      key = `${prefix}${withHash(safeName(name), hash)}`;
    await this.objects.put(key, bytes);
    return this.land.execute(key);
  }
}
