// Loads a group's rows from the staged Parquet files: only the rows the manifest names, by key
// and content hash, so a later version of a row staged elsewhere never leaks into this group.
// Each staged file carries its rows' hashes (the `_hash` column written at landing), so a load
// decodes only the columns the stages read (STAGE_COLUMNS) and hashes nothing; a file staged
// before that column existed is read whole and hashed, as before.
import { projectColumns, selectRows, selectWords } from '../domain/batch-rows.js';
import type { CompletionColumns } from '../domain/completion-columns.js';
import { DATASET_NAMES, type DatasetName } from '../domain/datasets.js';
import type { GroupData, SourcedBatch } from '../domain/group-data.js';
import { STAGE_COLUMNS, type StageColumns } from '../domain/stage-columns.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import type { StagingCodec } from '../ports/staging-codec.port.js';
import { BytesDigest } from './bytes-digest.js';
import { stagedBatches, type StagedBatch } from './staged-file-batches.js';
import type { PrefetchedFile, StagedFilePrefetch } from './staged-file-prefetch.js';
import type { RowRulesAhead } from './staged-row-rules.js';
import {
  missingOf,
  pick,
  pickIndexed,
  stagedSources,
  wantedCounts,
  wantedIn,
} from './staged-row-selection.js';

export { selectRows } from '../domain/batch-rows.js';

/** staging/<dataset>/<contentHash>.parquet */
export const stagedKeyFor = (dataset: DatasetName, contentHash: string): string =>
  `staging/${dataset}/${contentHash}.parquet`;

const parseStagedKey = (key: string): { dataset: DatasetName; contentHash: string } => {
  const match = /^staging\/([a-z_]+)\/([0-9a-f]+)\.parquet$/.exec(key);
  const dataset = DATASET_NAMES.find((d) => d === match?.[1]);
  if (match === null || dataset === undefined) throw new Error(`not a staged key: ${key}`);
  return { dataset, contentHash: match[2] as string };
};

/** a group's rows as load answers them */
export type LoadedGroup = GroupData & { readonly missing: number };

/** sees each selected batch with every column, before it is cut to the stages' columns */
export interface FullRowsVisitor {
  add(sourced: SourcedBatch, expectedRows: number): void;
  /**
   * no batch of this raw file follows (every staged file it names was read): what the visitor
   * keeps for it alone can go before the next file is read (Validate's row rules: the tables of
   * a 3M-row file's uniqueness checks, ~100 MB)
   */
  fileRead(dataset: DatasetName, file: string): void;
  /** a whole file's row rules worked out ahead, in place of its batches (RowRuleChecks.adopt) */
  adopt?(ahead: RowRulesAhead): boolean;
}

interface Selection {
  readonly stagedKeys: ReadonlySet<string>;
  readonly rows: Promise<LoadedGroup>;
}

// selections kept for completions never released (a group that stopped between Validate and
// Transform): the oldest go first, so a long-running process holds at most this many
const MAX_SELECTIONS = 4;

export class StagedRows {
  /**
   * the answer per completions value, so Transform reuses what Validate selected when both run
   * in one process (the manifest reader gives both the same value); dropped on release
   */
  private readonly selections = new Map<CompletionColumns, Selection>();

  /** prefetched: the staged files a landing of this process decoded ahead (local only) */
  constructor(
    private readonly objects: ObjectStore,
    private readonly codec: StagingCodec,
    private readonly prefetched?: StagedFilePrefetch,
  ) {}

  /**
   * The rows, with the stages' columns; `missing` counts manifest rows no staged file holds
   * (staging altered or lost). `visit` (Validate's row rules) also sees every selected row with
   * all its columns: then the files are read whole, once, and the answer replaces a kept one.
   */
  load(completions: CompletionColumns, visit?: FullRowsVisitor): Promise<LoadedGroup> {
    let selection = this.selections.get(completions);
    if (selection === undefined || visit !== undefined) {
      const rows = this.select(completions, visit);
      selection = { stagedKeys: new Set(completions.files.map(([, s]) => s)), rows };
      this.selections.delete(completions);
      this.selections.set(completions, selection);
      rows.catch(() => this.selections.delete(completions));
      for (const old of this.selections.keys()) {
        if (this.selections.size <= MAX_SELECTIONS) break;
        this.selections.delete(old);
      }
    }
    return selection.rows;
  }

  /**
   * The rows for their last reader (Transform), with only `columns` (a part of STAGE_COLUMNS) and
   * without their hashes; the selection is released as by `release`. So once the caller drops
   * the completions too, what else the kept selection held (the group rules' columns, the
   * hashes, the completions' location columns) is garbage before the caller builds on the rows.
   * Without a kept selection only `columns` are read.
   */
  async take(completions: CompletionColumns, columns: StageColumns): Promise<LoadedGroup> {
    const kept = this.selections.get(completions);
    try {
      const rows = await (kept?.rows ?? this.select(completions, undefined, columns));
      const cut = (list: readonly SourcedBatch[]): SourcedBatch[] =>
        list.map(({ file, batch }) => ({
          file,
          batch: projectColumns(batch, columns[batch.dataset]),
        }));
      const { orders, items, products, missing } = rows;
      return { orders: cut(orders), items: cut(items), products: cut(products), missing };
    } finally {
      this.release(completions);
    }
  }

  /**
   * Drops the selection of these orders, and every selection sharing one of their staged files:
   * a group's rows are read by Validate and Transform only, and a long-running process (watch)
   * would otherwise keep them for good. Rows needed again are simply read again.
   */
  release(completions: CompletionColumns): void {
    const stagedKeys = new Set(completions.files.map(([, stagedKey]) => stagedKey));
    this.selections.delete(completions);
    for (const [other, selection] of this.selections) {
      for (const stagedKey of selection.stagedKeys) {
        if (!stagedKeys.has(stagedKey)) continue;
        this.selections.delete(other);
        break;
      }
    }
  }

  private async select(
    completions: CompletionColumns,
    visit: FullRowsVisitor | undefined,
    columns: StageColumns = STAGE_COLUMNS,
  ): Promise<LoadedGroup> {
    const wanted = wantedCounts(completions);
    const sources = stagedSources(completions);
    const data: Record<DatasetName, SourcedBatch[]> = { orders: [], order_items: [], products: [] };
    let missing = 0;
    // staged files still to read per raw file: a raw file landed twice has two
    const unread = new Map<string, number>();
    const fileOf = (stagedKey: string): string => sources.get(stagedKey) ?? stagedKey;
    for (const stagedKey of wanted.keys())
      unread.set(fileOf(stagedKey), (unread.get(fileOf(stagedKey)) ?? 0) + 1);
    // raw files with one staged file in this group: only their row rules can be adopted whole
    const single = new Set([...unread].filter(([, n]) => n === 1).map(([file]) => file));
    // files decoded ahead for these rows are taken; any other is let go now
    const ahead = this.prefetched?.claim(wanted.keys()) ?? new Map<string, never>();
    for (const stagedKey of [...wanted.keys()].sort()) {
      const file = fileOf(stagedKey);
      const { dataset } = parseStagedKey(stagedKey);
      const only = visit === undefined ? columns[dataset] : null;
      let adopted = false;
      const add = (batch: SourcedBatch['batch'], words: Uint32Array, expected: number): void => {
        if (!adopted) visit?.add({ file, batch, hashes: words }, expected);
        const kept = projectColumns(batch, columns[dataset]);
        data[dataset].push({ file, batch: kept, hashes: words });
      };
      const { bytes, decoded } = await this.read(stagedKey, ahead.get(stagedKey));
      ahead.delete(stagedKey);
      if (decoded?.index !== undefined) {
        // decoded ahead with its rows' index: the same rows as pick would take, found without a
        // set of every location (pickIndexed)
        const taken = pickIndexed(completions, stagedKey, decoded.index);
        // every row of the file, its only staged file here: the row rules it had run over
        // exactly these batches, in this order, while the register ran, are Validate's verdict
        const ahead = decoded.rowRules;
        adopted =
          ahead !== undefined &&
          ahead.file === file &&
          ahead.dataset === dataset &&
          single.has(file) &&
          taken.rows.length === decoded.batches.length &&
          taken.rows.every((rows) => rows === null) &&
          visit?.adopt?.(ahead) === true;
        for (const rows of taken.rows) {
          const next = decoded.batches.shift() as StagedBatch;
          if (rows !== null && rows.length === 0) continue;
          const { batch, hashes } = next;
          if (rows === null) add(batch, hashes, taken.expected);
          else add(selectRows(batch, rows), selectWords(hashes, rows), taken.expected);
        }
        decoded.batches.length = 0;
        missing += taken.missing;
      } else {
        // this file's set only: the others' are built when they are read
        const want = wantedIn(completions, stagedKey, wanted.get(stagedKey) as number);
        const expected = want.hashes.size;
        const read =
          decoded === undefined
            ? stagedBatches(this.codec, bytes, dataset, only)
            : shifted(decoded.batches);
        for await (const { batch, hashes } of read) {
          const rows = pick(hashes, want.hashes);
          if (rows !== null && rows.length === 0) continue;
          // the whole batch (the usual case: a group formed by the file that completed it) is
          // kept as decoded, not copied
          if (rows === null) add(batch, hashes, expected);
          else add(selectRows(batch, rows), selectWords(hashes, rows), expected);
          if (want.hashes.size === 0) break; // nothing more wanted of this file
        }
        missing += missingOf(want);
      }
      const left = (unread.get(file) as number) - 1;
      unread.set(file, left);
      if (left === 0) visit?.fileRead(dataset, file);
    }
    return { orders: data.orders, items: data.order_items, products: data.products, missing };
  }

  /**
   * the staged file's bytes, and `ahead`: the file as decoded ahead, given only when it was
   * decoded from the bytes the object holds now
   */
  private async read(
    stagedKey: string,
    ahead: Promise<PrefetchedFile | undefined> | undefined,
  ): Promise<{ bytes: Uint8Array; decoded: PrefetchedFile | undefined }> {
    const bytes = await this.objects.get(stagedKey);
    if (bytes === null) throw new Error(`staged file missing: ${stagedKey}`);
    const decoded = await ahead;
    if (decoded !== undefined && decoded.digest === new BytesDigest().add(bytes).digest())
      return { bytes, decoded };
    return { bytes, decoded: undefined };
  }
}

/** the batches in order, each taken out as it is passed on (let go once the reader is done) */
async function* shifted(batches: StagedBatch[]): AsyncIterable<StagedBatch> {
  for (let next = batches.shift(); next !== undefined; next = batches.shift()) yield next;
}
