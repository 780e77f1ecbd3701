// Local delivery of a file (CLI `ingest`/`watch`, demo): puts its bytes under incoming/ and lands
// it. An identical file already in the log is not copied again; a different file with the same
// name gets its content hash in the key, so the earlier one is never overwritten. A file given as
// a stream is read twice (hashed, then streamed into the bucket), never held whole, and its hash
// is handed to LandFile so the bucket copy is read once only (to decode it).
import type { Either } from 'fp-ts/lib/Either.js';
import { isRight, right } from 'fp-ts/lib/Either.js';
import { DATASET_NAMES, type DatasetName } from '../domain/datasets.js';
import { fileStreamId } from '../domain/events.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { Hasher } from '../ports/hasher.port.js';
import { ObjectNotFound, type ObjectStore } from '../ports/object-store.port.js';
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

/** a delivered file: its bytes, or a way to read it (each call streams it from the start) */
export type DeliveredContent = Uint8Array | (() => AsyncIterable<Uint8Array>);

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
    content: DeliveredContent,
    dataset?: DatasetName,
  ): Promise<Either<RejectedFile, LandedFile>> {
    const prefix = dataset === undefined ? 'incoming/' : `incoming/${dataset}/`;
    let key = `${prefix}${safeName(name)}`;
    // the usual delivery, streamed under a name never seen: hashed while it is copied (one read
    // of the file, not two: ~0.1 s for the 1M-item CSV)
    if (
      !(content instanceof Uint8Array) &&
      !(await this.exists(key)) &&
      !(await this.exists(archiveKeyFor(key)))
    )
      return this.copiedThenLanded(key, content);
    const hash =
      content instanceof Uint8Array ? this.hasher.hash(content) : await this.hashOf(content());
    const duplicate = await this.duplicateOf(hash);
    if (duplicate !== null) return duplicate;
    // an earlier file of that name may sit in incoming/ or, processed, in archive/
    const inIncoming = await this.storedHash(key);
    const inArchive = inIncoming === null ? await this.storedHash(archiveKeyFor(key)) : null;
    const existing = inIncoming ?? inArchive;
    if (existing !== null && existing !== hash) key = `${prefix}${withHash(safeName(name), hash)}`;
    await this.objects.put(key, content instanceof Uint8Array ? content : content());
    const landed = await this.land.execute(key, hash);
    // These very bytes were archived but never recorded as landed: a run killed after its
    // landing formed a group (whose workflow then archived the file) and before FileLanded. The
    // landing just finished that record; the file was processed, so it goes back to archive/
    // rather than waiting in incoming/ for a group that already ran.
    if (inArchive === hash && isRight(landed) && landed.right._tag === 'Landed') {
      await this.objects.delete(key);
    }
    return landed;
  }

  /**
   * A streamed file under a name no object has: copied into `key` while hashed, then landed; an
   * identical file already in the log is not landed again, and its copy is deleted (a crash in
   * between leaves that copy, which a later delivery of the same bytes finds a duplicate too).
   */
  private async copiedThenLanded(
    key: string,
    content: () => AsyncIterable<Uint8Array>,
  ): Promise<Either<RejectedFile, LandedFile>> {
    const h = this.hasher.stream();
    await this.objects.put(
      key,
      (async function* () {
        for await (const chunk of content()) {
          h.update(chunk);
          yield chunk;
        }
      })(),
    );
    const hash = h.digest();
    const duplicate = await this.duplicateOf(hash);
    if (duplicate === null) return this.land.execute(key, hash);
    await this.objects.delete(key);
    return duplicate;
  }

  /** the answer to a delivery of bytes already landed or rejected (under the same judge) */
  private async duplicateOf(hash: string): Promise<Either<RejectedFile, LandedFile> | null> {
    const earlier = earlierVerdict(
      await this.events.readStream(fileStreamId(hash)),
      this.land.judgedBy,
    );
    if (earlier === undefined || (earlier.type !== 'FileLanded' && earlier.type !== 'FileRejected'))
      return null;
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

  /** whether an object has exactly this key (listed, not read) */
  private async exists(key: string): Promise<boolean> {
    return (await this.objects.list(key)).some((o) => o.key === key);
  }

  private async hashOf(chunks: AsyncIterable<Uint8Array>): Promise<string> {
    const h = this.hasher.stream();
    for await (const chunk of chunks) h.update(chunk);
    return h.digest();
  }

  /** the content hash of a stored object, null when there is none */
  private async storedHash(key: string): Promise<string | null> {
    try {
      return await this.hashOf(this.objects.getStream(key));
    } catch (error) {
      if (error instanceof ObjectNotFound) return null;
      throw error;
    }
  }
}
