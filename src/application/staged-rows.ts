// Loads a group's rows from the staged Parquet files: only the rows the manifest names, by key
// and content hash, so a later version of a row staged elsewhere never leaks into this group.
import type { ColumnBatch, Column } from '../domain/columns.js';
import type { CompletionColumns } from '../domain/completion-columns.js';
import { DATASET_NAMES, type DatasetName } from '../domain/datasets.js';
import type { GroupData, SourcedBatch } from '../domain/group-data.js';
import { rowHashes } from '../domain/row-hashes.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import type { StagingCodec } from '../ports/staging-codec.port.js';
import { pick, stagedSources, wantedHashes } from './staged-row-selection.js';

interface StagedFile {
  readonly dataset: DatasetName;
  readonly batches: readonly ColumnBatch[];
  readonly hashes: readonly (readonly string[])[];
}

/** staging/<dataset>/<contentHash>.parquet */
export const stagedKeyFor = (dataset: DatasetName, contentHash: string): string =>
  `staging/${dataset}/${contentHash}.parquet`;

const parseStagedKey = (key: string): { dataset: DatasetName; contentHash: string } => {
  const match = /^staging\/([a-z_]+)\/([0-9a-f]+)\.parquet$/.exec(key);
  const dataset = DATASET_NAMES.find((d) => d === match?.[1]);
  if (match === null || dataset === undefined) throw new Error(`not a staged key: ${key}`);
  return { dataset, contentHash: match[2] as string };
};

export const selectRows = (batch: ColumnBatch, rows: readonly number[]): ColumnBatch => {
  const columns: Record<string, Column> = {};
  for (const [name, column] of Object.entries(batch.columns)) {
    if (column.type === 'string') {
      columns[name] = { type: 'string', values: rows.map((r) => column.values[r] ?? null) };
    } else {
      const values = new Float64Array(rows.length);
      const valid = new Uint8Array(rows.length);
      rows.forEach((r, i) => {
        values[i] = column.values[r] ?? 0;
        valid[i] = column.valid[r] ?? 0;
      });
      columns[name] = { type: column.type, values, valid };
    }
  }
  const lines = Uint32Array.from(rows, (r) => batch.lines[r] ?? 0);
  return { dataset: batch.dataset, length: rows.length, columns, lines };
};

/** a group's rows as load answers them */
export type LoadedGroup = GroupData & { readonly missing: number };

interface Selection {
  readonly stagedKeys: ReadonlySet<string>;
  readonly rows: Promise<LoadedGroup>;
}

// selections kept for completions never released (a group that stopped between Validate and
// Transform): the oldest go first, so a long-running process holds at most this many
const MAX_SELECTIONS = 4;

export class StagedRows {
  /** staged files are named by content hash, so a decoded copy never goes stale */
  private readonly cache = new Map<string, Promise<StagedFile>>();
  /**
   * the answer per completions value, so Transform reuses what Validate selected when both run
   * in one process (the manifest reader gives both the same value); dropped on release
   */
  private readonly selections = new Map<CompletionColumns, Selection>();

  constructor(
    private readonly objects: ObjectStore,
    private readonly codec: StagingCodec,
  ) {}

  /** the rows; `missing` counts manifest rows no staged file holds (staging altered or lost) */
  load(completions: CompletionColumns): Promise<LoadedGroup> {
    let selection = this.selections.get(completions);
    if (selection === undefined) {
      const rows = this.select(completions);
      selection = { stagedKeys: new Set(completions.files.map(([, s]) => s)), rows };
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
   * Drops the decoded copies of these orders' staged files, and every selection made from them:
   * a group's rows are read by Validate and Transform only, and a 1M-row file decoded is several
   * hundred MB a long-running process (watch) would otherwise keep for good. A file needed
   * again is simply decoded again.
   */
  release(completions: CompletionColumns): void {
    const stagedKeys = new Set(completions.files.map(([, stagedKey]) => stagedKey));
    for (const stagedKey of stagedKeys) this.cache.delete(stagedKey);
    this.selections.delete(completions);
    for (const [other, selection] of this.selections) {
      for (const stagedKey of selection.stagedKeys) {
        if (!stagedKeys.has(stagedKey)) continue;
        this.selections.delete(other);
        break;
      }
    }
  }

  private async select(completions: CompletionColumns): Promise<LoadedGroup> {
    const wanted = wantedHashes(completions);
    const sources = stagedSources(completions);
    const data: Record<DatasetName, SourcedBatch[]> = { orders: [], order_items: [], products: [] };
    for (const stagedKey of [...wanted.keys()].sort()) {
      const staged = await this.file(stagedKey);
      const keys = wanted.get(stagedKey) as Set<string>;
      const file = sources.get(stagedKey) ?? stagedKey;
      staged.batches.forEach((batch, b) => {
        if (keys.size === 0) return;
        const hashes = staged.hashes[b] ?? [];
        const rows = pick(hashes, keys);
        if (rows === null) {
          // the whole batch (the usual case: a group formed by the file that completed it) is
          // shared, not copied
          data[staged.dataset].push({ file, batch, hashes });
        } else if (rows.length > 0) {
          const picked = rows.map((r) => hashes[r] ?? '');
          data[staged.dataset].push({ file, batch: selectRows(batch, rows), hashes: picked });
        }
      });
    }
    let missing = 0;
    for (const keys of wanted.values()) missing += keys.size;
    return { orders: data.orders, items: data.order_items, products: data.products, missing };
  }

  private file(stagedKey: string): Promise<StagedFile> {
    let cached = this.cache.get(stagedKey);
    if (cached === undefined) {
      cached = this.read(stagedKey);
      this.cache.set(stagedKey, cached);
      cached.catch(() => this.cache.delete(stagedKey));
    }
    return cached;
  }

  private async read(stagedKey: string): Promise<StagedFile> {
    const { dataset } = parseStagedKey(stagedKey);
    const bytes = await this.objects.get(stagedKey);
    if (bytes === null) throw new Error(`staged file missing: ${stagedKey}`);
    const batches: ColumnBatch[] = [];
    for await (const batch of this.codec.read(bytes, dataset, { batchSize: 65_536 }))
      batches.push(batch);
    return { dataset, batches, hashes: batches.map(rowHashes) };
  }
}
