// Staged files decoded ahead of their group's Validate, in time the main thread would otherwise
// spend idle. In one process a big landing waits seconds for its register on the reference
// index's worker (7 s at 1M items), and the group it forms is validated right after, reading
// back the staged Parquet of the files this process just landed (2.4 s at 1M, nearly all of it
// the decode). So LandFile hands those files over during that wait, and each is decoded here
// whole (every column: Validate's row rules read them all), with the digest of the bytes it was
// decoded from. StagedRows takes a file from here instead of decoding the object again only
// when the object's bytes still have that digest, and selects its rows by key and content hash
// exactly as from a file read anew. In the same wait each file is also indexed by row hash
// (StagedRowIndex: the load finds the group's rows without a set of every location) and, given
// the landing's rules, checked by the row rules (RowRulesAhead: Validate adopts that verdict
// only when its group takes every row of the file under the same rules).
// What is decoded is held until the next load of a group's rows claims it (dropping the rest),
// or until the next landing starts or this one forms no group; MAX_PREFETCH_ROWS bounds it.
// After the decodes, the rest of what the group's stages need can be done in the same wait
// (`alsoAhead`: the local composition loads the workflow engine there).
import type { DatasetName } from '../domain/datasets.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import type { StagingCodec } from '../ports/staging-codec.port.js';
import { BytesDigest } from './bytes-digest.js';
import { stagedBatches, type StagedBatch } from './staged-file-batches.js';
import { rowRulesAhead, type RowRulesAhead } from './staged-row-rules.js';
import { StagedRowIndex } from './staged-row-selection.js';
import type { RuleSet } from '../domain/validation/rules-config.codec.js';

/** a staged file this process landed */
export interface LandedStaged {
  readonly stagedKey: string;
  readonly dataset: DatasetName;
  readonly rows: number;
  /** the raw file it was staged from: the row rules worked out ahead name it */
  readonly file?: string;
}

/**
 * a staged file decoded ahead: its batches (every column), the digest of its bytes, and its rows
 * by hash (built batch by batch in the same wait, so the load selects the group's rows without a
 * set of every location; absent when the file did not fit the rows the landing counted)
 */
export interface PrefetchedFile {
  readonly digest: string;
  /** handed over in order; the reader takes each out (shift) so it is let go once passed on */
  readonly batches: StagedBatch[];
  readonly index?: StagedRowIndex;
  /** the row rules' verdict of the whole file, when the landing gave its rules */
  readonly rowRules?: RowRulesAhead;
}

/**
 * Rows decoded ahead at most. The 1M-item bench's three files (1.34M rows) fit. A 3M-item
 * landing's own file does not, and then nothing is decoded ahead: its Validate's load sets the
 * run's peak RSS, and during the wait the register's worker holds ~230 MB besides.
 */
export const MAX_PREFETCH_ROWS = 1_500_000;
/** landings remembered as candidates: a group's rows come from the last few files landed */
const RECENT_LANDINGS = 4;

interface Prefetching {
  readonly file: Promise<PrefetchedFile | undefined>;
  readonly drop: () => void;
}

/** lets a message (the worker's answer) in between two batches of a decode */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class StagedFilePrefetch {
  /** newest first */
  private recent: LandedStaged[] = [];
  private readonly files = new Map<string, Prefetching>();
  /** decodes run one after the other; this holds their settling only, never a result */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly objects: ObjectStore,
    private readonly codec: StagingCodec,
    private readonly maxRows = MAX_PREFETCH_ROWS,
    /**
     * other work the group's stages need, done once the decodes are: the local composition loads
     * the workflow engine there (its modules took ~0.2 s of the start otherwise); its failure is
     * ignored (the same work is done, and fails, when it is needed)
     */
    private readonly alsoAhead: () => Promise<unknown> = async () => undefined,
  ) {}

  /** a file this process landed: a candidate for a later landing's prefetch */
  landed(file: LandedStaged): void {
    const others = this.recent.filter((f) => f.stagedKey !== file.stagedKey);
    this.recent = [file, ...others].slice(0, RECENT_LANDINGS);
  }

  /**
   * A landing's register waits beside this thread: decode the staged files of the recent
   * landings and its own (`bytes`, once encoded), as far as `maxRows` allows; nothing when its
   * own file alone exceeds it. `rules`: the landing's row rules, run over each file as it is
   * decoded (RowRulesAhead), for Validate to adopt when its group takes the whole file.
   */
  prefetch(current: LandedStaged, bytes: Promise<Uint8Array>, rules?: RuleSet): void {
    this.release();
    this.decodeAhead(current, bytes, rules);
    // then the rest, after the decodes
    this.queue = this.queue
      .then(() => this.alsoAhead())
      .then(
        () => undefined,
        () => undefined,
      );
  }

  private decodeAhead(
    current: LandedStaged,
    bytes: Promise<Uint8Array>,
    rules: RuleSet | undefined,
  ): void {
    let rows = current.rows;
    if (rows > this.maxRows) return;
    for (const file of this.recent) {
      if (file.stagedKey === current.stagedKey || rows + file.rows > this.maxRows) continue;
      rows += file.rows;
      // already staged: decoded first, while the landing's own file is still being encoded
      this.start(file, () => this.objects.get(file.stagedKey), rules);
    }
    this.start(current, () => bytes, rules);
  }

  /** the files decoded (or being decoded) among `stagedKeys`, handed over; the others dropped */
  claim(stagedKeys: Iterable<string>): Map<string, Promise<PrefetchedFile | undefined>> {
    const claimed = new Map<string, Promise<PrefetchedFile | undefined>>();
    for (const key of stagedKeys) {
      const file = this.files.get(key);
      if (file === undefined) continue;
      claimed.set(key, file.file);
      this.files.delete(key);
    }
    this.release();
    return claimed;
  }

  /** drops every file decoded ahead (a decode under way stops at its next batch) */
  release(): void {
    for (const file of this.files.values()) file.drop();
    this.files.clear();
  }

  private start(
    file: LandedStaged,
    bytesOf: () => Promise<Uint8Array | null>,
    rules: RuleSet | undefined,
  ): void {
    let dropped = false;
    const decode = async (): Promise<PrefetchedFile | undefined> => {
      if (dropped) return undefined;
      const bytes = await bytesOf();
      if (bytes === null || dropped) return undefined;
      const digest = new BytesDigest().add(bytes).digest();
      const batches: StagedBatch[] = [];
      const index = new StagedRowIndex(file.rows);
      const ruled =
        rules === undefined || file.file === undefined
          ? undefined
          : rowRulesAhead(rules, file.dataset, file.file, file.rows);
      for await (const batch of stagedBatches(this.codec, bytes, file.dataset, null)) {
        batches.push(batch);
        index.add(batch.hashes);
        ruled?.add(batch.batch);
        await nextTurn();
        if (dropped) return undefined;
      }
      return {
        digest,
        batches,
        ...(index.usable ? { index } : {}),
        ...(ruled === undefined ? {} : { rowRules: ruled.finish() }),
      };
    };
    // a file that cannot be decoded ahead is read at load time, which reports what is wrong
    const decoded = this.queue.then(decode).catch(() => undefined);
    this.queue = decoded.then(() => undefined);
    this.files.set(file.stagedKey, { file: decoded, drop: () => (dropped = true) });
  }
}
