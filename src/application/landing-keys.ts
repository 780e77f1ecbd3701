// Collects, batch by batch, the keys a landed file registers with the reference index. They are
// held until the index has answered, through the biggest register of an ingest (a 1M-item file:
// four columns of 1M strings), so repeated values share one string: an order's items are
// adjacent in a file, and a shop has far fewer products than items. The row hashes are kept as
// words (8 bytes a row); their 16-digit spelling (LandingKeys.hashes) is made only when an index
// reads it (the SQLite index reads the words). The keys are handed over (LandingKeys.release):
// the SQLite index empties them as soon as they are in its tables.
import type { ColumnBatch } from '../domain/columns.js';
import type { DatasetName } from '../domain/datasets.js';
import { numberColumn, stringColumn } from '../domain/group-data.js';
import { hexOfRows } from '../domain/hex-words.js';
import { rowHashWords } from '../domain/row-hashes.js';
import type { LandingKeys } from '../ports/reference-index.port.js';

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

const SHARING: Record<DatasetName, Record<string, Sharing>> = {
  orders: { order_id: 'none' },
  order_items: { id: 'none', order_id: 'previous', product_id: 'interned' },
  products: { id: 'none' },
};
const NUMBERS: Record<DatasetName, readonly string[]> = {
  orders: ['num_of_item', 'created_at'],
  order_items: [],
  products: [],
};

interface HashesOf {
  readonly hashWords: Uint32Array;
  readonly hashes: readonly string[];
}

const concatWords = (parts: readonly Uint32Array[]): Uint32Array => {
  const out = new Uint32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

export class LandingKeysBuilder {
  private strings: Record<string, KeyColumn> = {};
  private numbers: Record<string, number[]> = {};
  /** each batch's row hash words, as rowHashWords gives them */
  private hashes: Uint32Array[] = [];

  constructor(private readonly dataset: DatasetName) {
    this.clear();
  }

  private clear(): void {
    this.strings = {};
    this.numbers = {};
    this.hashes = [];
    for (const [name, sharing] of Object.entries(SHARING[this.dataset]))
      this.strings[name] = new KeyColumn(sharing);
    for (const name of NUMBERS[this.dataset]) this.numbers[name] = [];
  }

  /** a batch of landed rows (quarantined rows were left out by the caller: selectRows) */
  add(batch: ColumnBatch, hashes: Uint32Array = rowHashWords(batch)): void {
    // a copy: the caller's words may be a view of a bigger buffer
    this.hashes.push(hashes.slice(0, 2 * batch.length));
    for (const [name, out] of Object.entries(this.strings)) {
      const values = stringColumn(batch, name).values;
      for (let r = 0; r < batch.length; r++) out.push(values[r] ?? '');
    }
    for (const [name, out] of Object.entries(this.numbers)) {
      const c = numberColumn(batch, name);
      for (let r = 0; r < batch.length; r++) {
        out.push(c.valid[r] === 1 ? (c.values[r] as number) : Number.NaN);
      }
    }
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
    const n = (name: string): Float64Array => Float64Array.from(this.numbers[name] ?? []);
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
          orderIds: s('order_id'),
          numOfItems: n('num_of_item'),
          createdAt: n('created_at'),
        });
      case 'order_items':
        return Object.assign(base, {
          dataset: 'order_items' as const,
          itemIds: s('id'),
          orderIds: s('order_id'),
          productIds: s('product_id'),
        });
      case 'products':
        return Object.assign(base, { dataset: 'products' as const, productIds: s('id') });
    }
  }
}
