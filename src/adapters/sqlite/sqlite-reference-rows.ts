// A landing's key rows into this connection's TEMP tables, batch by batch (t_order_rows,
// t_item_rows: plain rowid tables, so file order is kept). Nothing here touches the index
// tables, so a batch can be staged outside the register's transaction, while the file is still
// being decoded (SqliteWorkerReferenceIndex): TEMP tables are the connection's own, never locked
// against another connection. A product file's rows go straight into ri_products inside the
// transaction instead (a few thousand rows), so its batches are only kept here until then.
import { hexOfRow } from '../../domain/hex-words.js';
import type { KeyBatch, LandingKeys } from '../../ports/reference-index.port.js';
import type { SqliteDb } from './sqlite-database.js';
import { ChunkedHashInsert, ChunkedInsert, hashBytes } from './sqlite-reference-staging.js';
import type { Statements } from './sqlite-reference-statements.js';
import type { IdKey } from './sqlite-id-key.js';
import { keyOf, type KeyColumn } from './sqlite-reference-landing-items.js';

/**
 * An order_items batch as it reaches the worker: its ids already as their keys (wireKeyColumn),
 * so typed columns cross where the ids are integers
 */
export type ItemKeyBatch = Omit<
  Extract<KeyBatch, { dataset: 'order_items' }>,
  'itemIds' | 'orderIds' | 'productIds'
> & {
  readonly itemIds: KeyColumn;
  readonly orderIds: KeyColumn;
  readonly productIds: KeyColumn;
};

/** an orders batch as it reaches the worker: its ids already as their keys */
export type OrderKeyBatch = Omit<Extract<KeyBatch, { dataset: 'orders' }>, 'orderIds'> & {
  readonly orderIds: KeyColumn;
};

/** a batch's keys (its ids, or maybe their keys already), or a whole landing's */
export type StagedKeys = KeyBatch | ItemKeyBatch | OrderKeyBatch | LandingKeys;
/** an items batch's ids already as their keys (LandingItems.add), so they are not read twice */
export interface ItemKeyColumns {
  readonly items: KeyColumn;
  readonly orders: KeyColumn;
  readonly products: KeyColumn;
}
type ProductKeys = Extract<StagedKeys, { dataset: 'products' }>;

// SQLite turns NaN into NULL anyway; say so explicitly
const orNull = (v: number | undefined): number | null =>
  v === undefined || Number.isNaN(v) ? null : v;

/** row i's hash as text (ri_orders and ri_products keep text), from the words when given */
export const hashTextOf = (keys: StagedKeys): ((i: number) => string) => {
  const words = keys.hashWords;
  return words === undefined
    ? (i: number): string => keys.hashes?.[i] ?? ''
    : (i: number): string => hexOfRow(words, i);
};

export class LandingRows {
  private readonly orderRows: ChunkedInsert;
  private readonly itemRows: ChunkedInsert;
  private readonly itemHashRows: ChunkedHashInsert;
  /** a product file's batches, until the transaction writes them */
  products: ProductKeys[] = [];

  constructor(
    db: SqliteDb,
    private readonly s: Statements,
  ) {
    this.orderRows = new ChunkedInsert(db, 't_order_rows', 4, 1);
    this.itemRows = new ChunkedInsert(db, 't_item_rows', 4, 3);
    this.itemHashRows = new ChunkedHashInsert(db, 't_item_rows', 3, 3);
  }

  /** empties the TEMP tables: a new landing starts */
  open(): void {
    for (const c of this.s.clear) c.run();
    this.products = [];
  }

  add(keys: StagedKeys, keyed?: ItemKeyColumns): void {
    const hashAt = hashTextOf(keys);
    switch (keys.dataset) {
      case 'orders': {
        const { orderIds, numOfItems, createdAt } = keys;
        this.orderRows.run(orderIds.length, (i, out, at) => {
          out[at] = keyOf(orderIds[i]);
          out[at + 1] = hashAt(i);
          out[at + 2] = orNull(numOfItems[i]);
          out[at + 3] = orNull(createdAt[i]);
        });
        break;
      }
      case 'order_items': {
        const words = keys.hashWords;
        if (keyed !== undefined) {
          const { items, orders, products } = keyed;
          const fill = (i: number, out: (IdKey | null)[], at: number): void => {
            out[at] = items[i] as IdKey;
            out[at + 1] = orders[i] as IdKey;
            out[at + 2] = products[i] as IdKey;
          };
          if (words === undefined)
            this.itemRows.run(keys.itemIds.length, (i, out, at) => {
              fill(i, out, at);
              out[at + 3] = hashAt(i);
            });
          else this.itemHashRows.run(keys.itemIds.length, hashBytes(words), fill);
          break;
        }
        const { itemIds, orderIds, productIds } = keys;
        if (words === undefined)
          this.itemRows.run(itemIds.length, (i, out, at) => {
            out[at] = keyOf(itemIds[i]);
            out[at + 1] = keyOf(orderIds[i]);
            out[at + 2] = keyOf(productIds[i]);
            out[at + 3] = hashAt(i);
          });
        else
          // the hashes as the bytes ri_items keeps, bound a statement's rows at a time
          this.itemHashRows.run(itemIds.length, hashBytes(words), (i, out, at) => {
            out[at] = keyOf(itemIds[i]);
            out[at + 1] = keyOf(orderIds[i]);
            out[at + 2] = keyOf(productIds[i]);
          });
        break;
      }
      case 'products':
        this.products.push(keys);
        break;
    }
  }
}
