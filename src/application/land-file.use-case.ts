// Landing a file: dedupe by content hash, tell the dataset by the header, decode and validate in
// one pass, stage typed Parquet, register the keys, and form a group of the orders it completed.
// Steps are ordered so a re-run after a crash at any point finishes the job: FileLanded is the
// last write, and everything before it is idempotent (content-named objects, put-once streams).
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { ColumnBatch } from '../domain/columns.js';
import { completionCount, type CompletionColumns } from '../domain/completion-columns.js';
import type { DatasetName } from '../domain/datasets.js';
import { fileStreamId, type JudgedBy } from '../domain/events.js';
import { rowHashWords } from '../domain/row-hashes.js';
import { SEED_RULES, type RuleSet } from '../domain/validation/rules-config.codec.js';
import {
  encodeManifestBytes,
  groupIdSourceBytes,
  manifestKeyFor,
} from '../domain/group-manifest.codec.js';
import type { Clock } from '../ports/clock.port.js';
import type { CsvDecoder } from '../ports/csv-decoder.port.js';
import type { EventBus } from '../ports/event-bus.port.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { Hasher } from '../ports/hasher.port.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import type { LandingStaging, ReferenceIndex } from '../ports/reference-index.port.js';
import type { StagingCodec, StagingFileWriter } from '../ports/staging-codec.port.js';
import { appendOnce, completeGroup, isoAt } from './event-log.js';
import { BytesDigest } from './bytes-digest.js';
import {
  manifestRevision,
  releaseWrittenManifest,
  rememberWrittenManifest,
} from './group-manifest-reader.js';
import { decodeLanding, type Decoded } from './decode-landing.js';
import type { LandedFile, LandingPolicy, RejectedFile } from './landing-outcome.js';
import { earlierVerdict, rulesFingerprint } from './landing-dedupe.js';
import { gatheringStaging, keyBatchOf } from './landing-keys.js';
import { rejectionReason, ruleCounts } from './rejection-reason.js';
import type { StagedFilePrefetch } from './staged-file-prefetch.js';
import { selectRows, stagedKeyFor } from './staged-rows.js';

export type { LandedFile, LandingPolicy, RejectedFile } from './landing-outcome.js';

export const fileReportKey = (contentHash: string): string =>
  `reports/files/${contentHash}/verdict.json`;
const quarantineKeyFor = (contentHash: string, fileKey: string): string =>
  `quarantine/${contentHash}/${fileKey.split('/').at(-1) ?? 'rows.csv'}`;

export class LandFile {
  constructor(
    private readonly objects: ObjectStore,
    private readonly events: EventStore,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly hasher: Hasher,
    private readonly decoder: CsvDecoder,
    private readonly staging: StagingCodec,
    private readonly index: ReferenceIndex,
    private readonly policy: LandingPolicy = 'reject-file',
    private readonly rules: RuleSet = SEED_RULES,
    /** decodes staged files ahead of the group's Validate while a register runs beside */
    private readonly prefetch?: StagedFilePrefetch,
  ) {
    this.judge = { policy, rules: rulesFingerprint(rules, hasher) };
  }

  /** recorded on every verdict: a rejection binds only the same policy and rules */
  private readonly judge: JudgedBy;
  get judgedBy(): JudgedBy {
    return this.judge;
  }

  /** contentHash: the object's hash when the caller just computed it (saves a read of the file) */
  async execute(fileKey: string, contentHash?: string): Promise<Either<RejectedFile, LandedFile>> {
    // an earlier landing's manifest is not held through this one (its Validate decodes it)
    releaseWrittenManifest();
    this.prefetch?.release();
    return this.land(fileKey, contentHash ?? (await this.hashOf(fileKey)));
  }

  private async land(
    fileKey: string,
    contentHash: string,
  ): Promise<Either<RejectedFile, LandedFile>> {
    const fileStream = fileStreamId(contentHash);
    const stream = await this.events.readStream(fileStream);
    const earlier = earlierVerdict(stream, this.judge);
    if (earlier !== undefined) {
      // an identical re-delivery: nothing appended, nothing started
      const data =
        earlier.type === 'FileLanded' || earlier.type === 'FileRejected' ? earlier.data : null;
      return right({
        _tag: 'Duplicate',
        fileKey,
        contentHash,
        dataset: data?.dataset ?? null,
        rows: 0,
        warnings: [],
        quarantinedRows: 0,
        errors: [],
        reportKey: data?.reportKey ?? null,
        groups: [],
      });
    }
    // reject-file lands all rows or none: stage while decoding instead of holding the file
    const streaming = this.policy === 'reject-file';
    let staged: { writer: StagingFileWriter; keys: LandingStaging; beside: boolean } | null = null;
    let rows = 0;
    const bytes = this.index.begin === undefined ? 0 : await this.sizeOf(fileKey);
    // the landing's time, taken before its decode: an index that takes the keys batch by batch
    // may write what depends on it (an order's first-seen time) while the file decodes
    const now = this.clock.now();
    const stage = (dataset: DatasetName, batch: ColumnBatch): void => {
      staged ??= {
        writer: this.staging.writer(dataset),
        ...this.keysOf(dataset, fileKey, contentHash, bytes, now),
      };
      // hashed once: the staged file stores the hashes, the reference index registers them
      // (handed over batch by batch: an index may take them in while the file still decodes)
      const hashes = rowHashWords(batch);
      staged.writer.append(batch, hashes);
      staged.keys.add(keyBatchOf(batch, hashes));
      rows += batch.length;
    };
    // nothing is registered before register(): a landing that stops before it abandons its keys
    const abandon = (): void => (staged as { keys: LandingStaging } | null)?.keys.abandon();
    const reportKey = fileReportKey(contentHash);
    let decoded: Decoded;
    try {
      decoded = await decodeLanding(this.objects, this.decoder, fileKey, {
        keepBatches: !streaming,
        rules: this.rules,
        ...(streaming ? { sink: stage } : {}),
      });
      await this.objects.put(reportKey, JSON.stringify(decoded.verdict, null, 2));
    } catch (error) {
      abandon();
      throw error;
    }
    const quarantined = decoded.failingLines.size;
    if (decoded.dataset === null || (!decoded.verdict.ok && this.policy === 'reject-file')) {
      abandon();
      return left(await this.reject(fileKey, contentHash, decoded, stream.length));
    }
    const dataset = decoded.dataset;
    const stagedKey = stagedKeyFor(dataset, contentHash);
    for (const batch of decoded.batches) {
      const good: number[] = [];
      for (let r = 0; r < batch.length; r++) {
        if (!decoded.failingLines.has(batch.lines[r] ?? 0)) good.push(r);
      }
      stage(dataset, good.length === batch.length ? batch : selectRows(batch, good));
    }
    const { writer, keys, beside } = staged ?? {
      writer: this.staging.writer(dataset),
      ...this.keysOf(dataset, fileKey, contentHash, bytes, now),
    };
    // the encoder's last row groups (on a worker, with a worker codec) overlap the register; the
    // staged object is still put before the group's manifest and events name it
    const staging = writer.finish();
    staging.catch(() => undefined); // awaited below; a register failure must not leave it unhandled
    try {
      if (quarantined > 0) await this.quarantine(fileKey, contentHash, decoded.failingLines);
    } catch (error) {
      keys.abandon();
      throw error;
    }

    // The staged object is stored as soon as it is encoded: during the register's wait, not
    // after its answer, where this thread writes the manifest and the register's worker commits
    // (the put is mostly a wait for the disk, and the commit's writes wait on the same disk). It
    // is content-named and harmless should the register fail: no event names it, and the landing
    // run again puts the same bytes. A failure is met once the register has answered.
    const stored = staging.then((bytes) => this.objects.put(stagedKey, bytes));
    stored.catch(() => undefined); // awaited below, after the manifest
    const registering = keys.register(fileKey, stagedKey, now);
    // this thread waits for a register running beside it: the group it forms is validated next,
    // so its staged files are decoded meanwhile (StagedFilePrefetch)
    const landedStaged = { stagedKey, dataset, rows, file: fileKey };
    if (beside && dataset === 'order_items')
      this.prefetch?.prefetch(landedStaged, staging, this.rules);
    let completed: CompletionColumns | undefined;
    try {
      completed = await registering;
    } catch (error) {
      this.prefetch?.release();
      await stored.catch(() => undefined); // settled first: a retry never races this put
      throw error;
    }
    // The answer may come before the register is committed (the local index's worker writes the
    // orders' states and the landing record meanwhile, LandingStaging.committed): the staged
    // object and the group's manifest are written beside that, as both are harmless should it
    // never commit. Their keys are content-named (the staged key by the file's hash, the
    // manifest's by the group id, a hash of the staged key and the completed orders'
    // fingerprints), and a manifest is read only through the GroupCompleted event naming it: a
    // failed register appends no event, and the landing run again writes its own group's
    // manifest anew (the same key when it completes the same orders). Nothing is appended
    // before the commit.
    let group: { groupId: string; manifestKey: string } | null;
    let orderCount: number;
    try {
      // the staged object's put, started above, goes on while this thread makes and writes the
      // group's manifest
      orderCount = completionCount(completed);
      if (orderCount === 0) this.prefetch?.release(); // no group will read them
      try {
        group = orderCount > 0 ? await this.writeManifest(fileKey, stagedKey, completed) : null;
      } catch (error) {
        await stored.catch(() => undefined); // settled first: a retry never races this put
        throw error;
      }
      await stored;
      this.prefetch?.landed(landedStaged);
    } catch (error) {
      // the register settles first (committed or not: a re-run finds either consistent)
      await keys.committed().catch(() => undefined);
      this.prefetch?.release();
      throw error;
    }
    // the columns now belong to the manifest reader, which hands them to the group's Validate:
    // that may run within completeGroup below, and Transform's reclaim must find them unheld
    completed = undefined;
    try {
      await keys.committed();
    } catch (error) {
      // nothing was registered: the manifest written is no group's, and no Validate reads it
      releaseWrittenManifest();
      this.prefetch?.release();
      throw error;
    }
    const groups: { groupId: string; orderCount: number }[] = [];
    if (group !== null) {
      await completeGroup(this.events, this.bus, { ...group, fileKey, orderCount }, isoAt(now));
      groups.push({ groupId: group.groupId, orderCount });
    }
    const warnings = ruleCounts(decoded.verdict, 'warn');
    await appendOnce(
      this.events,
      this.bus,
      fileStream,
      {
        type: 'FileLanded',
        data: {
          fileKey,
          dataset,
          contentHash,
          rows,
          stagedKey,
          reportKey,
          warnings,
          quarantinedRows: quarantined,
          judgedBy: this.judge,
        },
      },
      isoAt(now),
      stream.length,
    );
    return right({
      _tag: 'Landed',
      fileKey,
      contentHash,
      dataset,
      rows,
      warnings,
      quarantinedRows: quarantined,
      errors: ruleCounts(decoded.verdict, 'error'),
      reportKey,
      groups,
    });
  }

  /**
   * where a landing's keys go: to the index batch by batch when it takes them so. `beside`: it
   * did, and then registers them beside this thread (only the local index, on its worker, takes
   * them so: ReferenceIndex.begin), so this thread is idle while the register finishes
   */
  private keysOf(
    dataset: DatasetName,
    fileKey: string,
    contentHash: string,
    bytes: number,
    now: number,
  ): { keys: LandingStaging; beside: boolean } {
    const stagedKey = stagedKeyFor(dataset, contentHash);
    const taken = this.index.begin?.(dataset, { fileKey, stagedKey, bytes, now });
    return taken === undefined
      ? { keys: gatheringStaging(this.index, dataset), beside: false }
      : { keys: taken, beside: true };
  }

  /** the landed file's size (asked only of an index that may take keys batch by batch) */
  private async sizeOf(fileKey: string): Promise<number> {
    return (await this.objects.list(fileKey)).find((o) => o.key === fileKey)?.size ?? 0;
  }

  /**
   * The group's id and manifest: its id's source and the manifest (~200 MB of JSON at 3M items)
   * are made, hashed and written in parts, never as one string: the same bytes as groupIdSource
   * / encodeManifest (the manifest's hashes written as bytes straight from their words). The
   * bytes are hashed as written, so this process's Validate checks the object against them (or,
   * where the store tells the object's revision, takes it at that revision unread) and uses these
   * columns instead of decoding the manifest again.
   */
  private async writeManifest(
    fileKey: string,
    stagedKey: string,
    completions: CompletionColumns,
  ): Promise<{ groupId: string; manifestKey: string }> {
    const id = this.hasher.stream();
    for (const bytes of groupIdSourceBytes(stagedKey, completions)) id.update(bytes);
    const groupId = id.digest();
    const manifestKey = manifestKeyFor(groupId);
    const manifest = { groupId, fileKey, completions };
    const written = new BytesDigest();
    await this.objects.put(
      manifestKey,
      (async function* () {
        for (const bytes of encodeManifestBytes(manifest)) {
          written.add(bytes);
          yield bytes;
        }
      })(),
    );
    // its revision now: this process's Validate then takes the value without reading the bytes
    const revision = await manifestRevision(this.objects, manifestKey);
    rememberWrittenManifest(manifestKey, manifest, written.digest(), revision);
    return { groupId, manifestKey };
  }

  private async hashOf(fileKey: string): Promise<string> {
    const h = this.hasher.stream();
    for await (const chunk of this.objects.getStream(fileKey)) h.update(chunk);
    return h.digest();
  }

  private async quarantine(
    fileKey: string,
    contentHash: string,
    failingLines: ReadonlyMap<number, readonly string[]>,
  ): Promise<string> {
    const key = quarantineKeyFor(contentHash, fileKey);
    await this.objects.put(
      key,
      await this.decoder.extractRows(this.objects.getStream(fileKey), failingLines),
    );
    return key;
  }

  private async reject(
    fileKey: string,
    contentHash: string,
    decoded: Decoded,
    expectedVersion: number,
  ): Promise<RejectedFile> {
    const quarantineKey =
      decoded.failingLines.size > 0
        ? await this.quarantine(fileKey, contentHash, decoded.failingLines)
        : null;
    const reason = rejectionReason(fileKey, decoded.verdict);
    const errors = ruleCounts(decoded.verdict, 'error');
    const reportKey = fileReportKey(contentHash);
    await appendOnce(
      this.events,
      this.bus,
      fileStreamId(contentHash),
      {
        type: 'FileRejected',
        data: {
          fileKey,
          dataset: decoded.dataset,
          contentHash,
          reason,
          reportKey,
          quarantineKey,
          errors,
          judgedBy: this.judge,
        },
      },
      isoAt(this.clock.now()),
      expectedVersion,
    );
    return {
      _tag: 'Rejected',
      fileKey,
      contentHash,
      dataset: decoded.dataset,
      reason,
      reportKey,
      quarantineKey,
      errors,
      verdict: decoded.verdict,
    };
  }
}
