// Loads a group's rows from the staged Parquet files: only the rows the manifest names, by key
// and content hash, so a later version of a row staged elsewhere never leaks into this group.
import type { ColumnBatch, Column } from '../domain/columns.js';
import { DATASET_NAMES, type DatasetName } from '../domain/datasets.js';
import type { GroupData, SourcedBatch } from '../domain/group-data.js';
import type { ManifestOrder } from '../domain/group-manifest.codec.js';
import { rowHashes } from '../domain/row-hashes.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import type { StagingCodec } from '../ports/staging-codec.port.js';

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

export class StagedRows {
  /** staged files are named by content hash, so a decoded copy never goes stale */
  private readonly cache = new Map<string, Promise<StagedFile>>();

  constructor(
    private readonly objects: ObjectStore,
    private readonly codec: StagingCodec,
  ) {}

  /** the rows; `missing` counts manifest rows no staged file holds (staging altered or lost) */
  async load(orders: readonly ManifestOrder[]): Promise<GroupData & { readonly missing: number }> {
    const wanted = new Map<string, Set<string>>();
    /** staged key -> the raw file it was staged from (a row location's key) */
    const sources = new Map<string, string>();
    const want = (loc: { key: string; stagedKey: string; hash: string }): void => {
      sources.set(loc.stagedKey, loc.key);
      const set = wanted.get(loc.stagedKey) ?? new Set<string>();
      // the content hash covers the key columns, so it names the row within its staged file
      set.add(loc.hash);
      wanted.set(loc.stagedKey, set);
    };
    for (const o of orders) {
      want(o.order);
      o.items.forEach(want);
      o.products.forEach(want);
    }
    const data: Record<DatasetName, SourcedBatch[]> = { orders: [], order_items: [], products: [] };
    for (const stagedKey of [...wanted.keys()].sort()) {
      const staged = await this.file(stagedKey);
      const keys = wanted.get(stagedKey) as Set<string>;
      staged.batches.forEach((batch, b) => {
        const hashes = staged.hashes[b] ?? [];
        const rows: number[] = [];
        for (let r = 0; r < batch.length; r++) {
          // one row per version, even when a file holds the same row twice
          if (keys.delete(hashes[r] ?? '')) rows.push(r);
        }
        const file = sources.get(stagedKey) ?? stagedKey;
        if (rows.length === batch.length) {
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

  /**
   * Drops the decoded copies of these orders' staged files: a group's rows are read by Validate
   * and Transform only, and a 1M-row file decoded is several hundred MB a long-running process
   * (watch) would otherwise keep for good. A file needed again is simply decoded again.
   */
  release(orders: readonly ManifestOrder[]): void {
    for (const o of orders) {
      this.cache.delete(o.order.stagedKey);
      for (const l of o.items) this.cache.delete(l.stagedKey);
      for (const l of o.products) this.cache.delete(l.stagedKey);
    }
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
