// The grouping index's item layout in the reference table (pk, sk), and how items turn back into
// the order-completion decider's state.
//   O#<order> ROW          the order row (key, stagedKey, hash, numOfItems, createdAt)
//   O#<order> SEEN         firstSeenAt (when a landing first mentioned the order)
//   O#<order> I#<item>     the item as it belongs to the order (key, stagedKey, hash, productId)
//   O#<order> DONE         the last reported completion: its fingerprint (`fp`) and the landing
//                          (`by`, a stagedKey) that reported it; moved only by a conditional
//                          write on the fingerprint it replaces
//   I#<item>  ITEM         which order the item belongs to now (to move re-delivered items)
//   P#<prod>  PRODUCT      the product row (key, stagedKey, hash)
//   P#<prod>  W#<order>    an order whose items reference the product (dropped once complete)
//   F#<file>  FILE         marks the file (its dataset)
//   FO#<n>#<file> O#<order>
//                          an order the file's rows belong to, in shard n = hash(order) mod 16:
//                          under one key, a big file's orders would all go to one partition
//                          (1,000 WRU/s; 400,000 orders is ≥ 400 s: docs/scaling.md). Files
//                          landed before the shards keep theirs under F#<file> O#<order>.
import type {
  CompletionState,
  ItemRow,
  OrderState,
  RowLocation,
} from '../../domain/order-completion.decider.js';
import type { Item } from './dynamodb-batch.js';

export const orderPk = (id: string): string => `O#${id}`;
export const itemPk = (id: string): string => `I#${id}`;
export const productPk = (id: string): string => `P#${id}`;
export const filePk = (key: string): string => `F#${key}`;
/** the orders a products landing completed (W# under it), kept for a re-run of that landing */
export const landingPk = (stagedKey: string): string => `L#${stagedKey}`;
/** shards of a file's order items; a prefix of its own, so no file key can name a shard */
export const FILE_SHARDS = 16;
const fileShardPk = (key: string, shard: number): string => `FO#${shard}#${key}`;
/** FNV-1a of the order id: a stable, even spread that costs no hashing library */
const shardOf = (orderId: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < orderId.length; i++) h = Math.imul(h ^ orderId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % FILE_SHARDS;
};
export const fileOrderPk = (key: string, orderId: string): string =>
  fileShardPk(key, shardOf(orderId));
/** every partition that may hold the file's order items: its shards, and the unsharded one */
export const fileOrderPks = (key: string): string[] => [
  ...Array.from({ length: FILE_SHARDS }, (_, n) => fileShardPk(key, n)),
  filePk(key),
];
export const ROW = 'ROW';
export const SEEN = 'SEEN';
export const ITEM = 'ITEM';
export const PRODUCT = 'PRODUCT';
export const FILE = 'FILE';
export const DONE = 'DONE';
export const memberSk = (itemId: string): string => `I#${itemId}`;
export const waitSk = (orderId: string): string => `W#${orderId}`;
export const fileOrderSk = (orderId: string): string => `O#${orderId}`;

const rest = (s: string, prefix: string): string => s.slice(prefix.length);

export const location = (i: Item): RowLocation => ({
  key: i['key'] as string,
  stagedKey: i['stagedKey'] as string,
  hash: i['hash'] as string,
});

/** An order's last reported completion (its DONE item). */
export interface LastCompletion {
  readonly fp: string;
  readonly by: string;
}

/** Folds the items of order partitions (and product rows) into the decider's state. */
export class StateBuilder {
  private readonly orders = new Map<
    string,
    {
      firstSeenAt: number;
      row: OrderState['row'];
      itemIds: Set<string>;
      lastCompleted: string | null;
    }
  >();
  private readonly last = new Map<string, LastCompletion>();
  private readonly items = new Map<string, ItemRow>();
  private readonly products = new Map<string, RowLocation>();

  private order(id: string) {
    let o = this.orders.get(id);
    if (o === undefined) {
      o = { firstSeenAt: Number.NaN, row: null, itemIds: new Set(), lastCompleted: null };
      this.orders.set(id, o);
    }
    return o;
  }

  add(i: Item): this {
    const pk = i['pk'] as string;
    const sk = i['sk'] as string;
    if (pk.startsWith('O#')) {
      const id = rest(pk, 'O#');
      const o = this.order(id);
      if (sk === ROW) {
        const n = i['numOfItems'];
        o.row = {
          ...location(i),
          numOfItems: typeof n === 'number' ? n : Number.NaN,
          createdAt: i['createdAt'] as number,
        };
      } else if (sk === SEEN) o.firstSeenAt = i['firstSeenAt'] as number;
      else if (sk.startsWith('I#')) {
        const itemId = rest(sk, 'I#');
        o.itemIds.add(itemId);
        this.items.set(itemId, {
          ...location(i),
          orderId: id,
          productId: i['productId'] as string,
        });
      } else if (sk === DONE) {
        const last = { fp: i['fp'] as string, by: i['by'] as string };
        o.lastCompleted = last.fp;
        this.last.set(id, last);
      }
    } else if (pk.startsWith('P#') && sk === PRODUCT) {
      this.products.set(rest(pk, 'P#'), location(i));
    }
    return this;
  }

  lastCompletion(orderId: string): LastCompletion | undefined {
    return this.last.get(orderId);
  }

  productIds(): string[] {
    return [...new Set([...this.items.values()].map((i) => i.productId))];
  }

  state(): CompletionState {
    return { orders: this.orders, items: this.items, products: this.products };
  }
}
