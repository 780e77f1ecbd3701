// Collects, batch by batch, the keys a landed file registers with the reference index. They are
// held until the index has answered, through the biggest register of an ingest (a 1M-item file:
// four columns of 1M strings), so repeated values share one string: an order's items are
// adjacent in a file, and a shop has far fewer products than items. The row hashes are kept as
// words (8 bytes a row); their 16-digit spelling (LandingKeys.hashes) is made only when an index
// reads it (the SQLite index reads the words). The keys are handed over (LandingKeys.release):
// the SQLite index empties them as soon as they are in its tables. An index that takes a
// landing's keys batch by batch (ReferenceIndex.begin) gets each batch's KeyBatch instead.
import type { ColumnBatch } from '../domain/columns.js';
import type { DatasetName } from '../domain/datasets.js';
import { numberColumn, stringColumn } from '../domain/group-data.js';
import { hexOfRows } from '../domain/hex-words.js';
import { rowHashWords } from '../domain/row-hashes.js';
import { concatTyped } from '../domain/typed-arrays.js';
import type {
  KeyBatch,
  LandingKeys,
  LandingStaging,
  ReferenceIndex,
} from '../ports/reference-index.port.js';

/** how a column's repeated values are shared */
type Sharing = 'none' | 'previous' | 'interned';

/** distinct values an interned column shares at most (past that, values are kept as they come) */
const INTERN_LIMIT = 1 << 16;

class KeyColumn {
  readonly values: string[] = [];
  private readonly seen = new Map<string, string>();

  constructor(private readonly sharing: Sharing) {}

  push(v: string): void {
    const { values } = this;
    if (this.sharing === 'previous') {
      const last = values[values.length - 1];
      values.push(last === v ? last : v);
    } else if (this.sharing === 'interned') {
      let shared = this.seen.get(v);
      if (shared === undefined) {
        shared = v;
        if (this.seen.size < INTERN_LIMIT) this.seen.set(v, v);
      }
      values.push(shared);
    } else values.push(v);
  }
}

/** the key columns of each dataset, by KeyBatch field, and the batch column each comes from */
const STRINGS: Record<DatasetName, readonly [field: string, column: string, Sharing][]> = {
  orders: [['orderIds', 'order_id', 'none']],
  order_items: [
    ['itemIds', 'id', 'none'],
    ['orderIds', 'order_id', 'previous'],
    ['productIds', 'product_id', 'interned'],
  ],
  products: [['productIds', 'id', 'none']],
};
const NUMBERS: Record<DatasetName, readonly [field: string, column: string][]> = {
  orders: [
    ['numOfItems', 'num_of_item'],
    ['createdAt', 'created_at'],
  ],
  order_items: [],
  products: [],
};

/**
 * A batch's keys: its columns as they are (no copy), its numbers with NaN where missing, and a
 * copy of its hash words (the caller's may be a view of a bigger buffer)
 */
export const keyBatchOf = (
  batch: ColumnBatch,
  hashes: Uint32Array = rowHashWords(batch),
): KeyBatch & { readonly hashWords: Uint32Array } => {
  const keys: Record<string, unknown> = {
    dataset: batch.dataset,
    hashWords: hashes.slice(0, 2 * batch.length),
  };
  for (const [field, column] of STRINGS[batch.dataset])
    keys[field] = stringColumn(batch, column).values;
  for (const [field, column] of NUMBERS[batch.dataset]) {
    const c = numberColumn(batch, column);
    const out = new Float64Array(batch.length);
    for (let r = 0; r < batch.length; r++)
      out[r] = c.valid[r] === 1 ? (c.values[r] as number) : NaN;
    keys[field] = out;
  }
  return keys as KeyBatch & { readonly hashWords: Uint32Array };
};

interface HashesOf {
  readonly hashWords: Uint32Array;
  readonly hashes: readonly string[];
}

const concatWords = (parts: readonly Uint32Array[]): Uint32Array => concatTyped(parts, Uint32Array);
const concatNumbers = (parts: readonly Float64Array[]): Float64Array =>
  concatTyped(parts, Float64Array);

export class LandingKeysBuilder {
  private strings: Record<string, KeyColumn> = {};
  private numbers: Record<string, Float64Array[]> = {};
  /** each batch's row hash words, as rowHashWords gives them */
  private hashes: Uint32Array[] = [];

  constructor(private readonly dataset: DatasetName) {
    this.clear();
  }

  private clear(): void {
    this.strings = {};
    this.numbers = {};
    this.hashes = [];
    for (const [field, , sharing] of STRINGS[this.dataset])
      this.strings[field] = new KeyColumn(sharing);
    for (const [field] of NUMBERS[this.dataset]) this.numbers[field] = [];
  }

  /** a batch of landed rows (quarantined rows were left out by the caller: selectRows) */
  add(batch: ColumnBatch, hashes: Uint32Array = rowHashWords(batch)): void {
    this.addKeys(keyBatchOf(batch, hashes));
  }

  /** a batch's keys (keyBatchOf), its hashes as words */
  addKeys(keys: KeyBatch & { readonly hashWords: Uint32Array }): void {
    const fields = keys as unknown as Record<string, unknown>;
    this.hashes.push(keys.hashWords);
    for (const [field, out] of Object.entries(this.strings)) {
      const values = fields[field] as readonly (string | null)[];
      for (let r = 0; r < values.length; r++) out.push(values[r] ?? '');
    }
    for (const [field, out] of Object.entries(this.numbers))
      out.push(fields[field] as Float64Array);
  }

  /**
   * The keys collected, handed over: the builder starts empty again, so the keys live only as
   * long as the landing that registers them (the caller may keep the builder)
   */
  build(fileKey: string, stagedKey: string): LandingKeys {
    const keys = this.keys(fileKey, stagedKey);
    this.clear();
    return keys;
  }

  private keys(fileKey: string, stagedKey: string): LandingKeys {
    const s = (name: string): string[] => this.strings[name]?.values ?? [];
    const n = (name: string): Float64Array => concatNumbers(this.numbers[name] ?? []);
    let words = concatWords(this.hashes);
    let spelled: string[] | null = null;
    // the string columns handed over; released (emptied) by the index once it has read them
    const handed = Object.values(this.strings).map((c) => c.values);
    const release = (): void => {
      for (const column of handed) column.length = 0;
      words = new Uint32Array(0);
      spelled = [];
    };
    // getters: the words are dropped by release, and spelled only when read
    const base = Object.defineProperties(
      { fileKey, stagedKey, release },
      {
        hashWords: { enumerable: true, get: () => words },
        hashes: { enumerable: true, get: () => (spelled ??= hexOfRows(words)) },
      },
    ) as { fileKey: string; stagedKey: string; release: () => void } & HashesOf;
    switch (this.dataset) {
      case 'orders':
        return Object.assign(base, {
          dataset: 'orders' as const,
          orderIds: s('orderIds'),
          numOfItems: n('numOfItems'),
          createdAt: n('createdAt'),
        });
      case 'order_items':
        return Object.assign(base, {
          dataset: 'order_items' as const,
          itemIds: s('itemIds'),
          orderIds: s('orderIds'),
          productIds: s('productIds'),
        });
      case 'products':
        return Object.assign(base, { dataset: 'products' as const, productIds: s('productIds') });
    }
  }
}

/**
 * A landing's keys gathered here, batch by batch, and registered whole (ReferenceIndex.register):
 * how a landing hands its keys to an index that does not take them batch by batch
 */
export const gatheringStaging = (index: ReferenceIndex, dataset: DatasetName): LandingStaging => {
  const keys = new LandingKeysBuilder(dataset);
  return {
    add: (batch) => {
      if (batch.hashWords === undefined) throw new Error('gathered keys carry hash words');
      keys.addKeys(batch);
    },
    register: (fileKey, stagedKey, now) => index.register(keys.build(fileKey, stagedKey), now),
    // ReferenceIndex.register answers once committed
    committed: () => Promise.resolve(),
    abandon: () => void keys.build('', ''),
  };
};
