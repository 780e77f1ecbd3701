// Completed orders in the compact JSON form the second group manifests and SQLite landing
// records were written in (today both hold CompletionColumns, completion-columns.ts; this form is
// still read, and `packCompletions` writes it for the tests of that reading). Every row location of a group names one of a few files, so spelling out `key` and `stagedKey`
// per row made a 1M-item manifest 438 MB of JSON (near V8's 512 MB string limit, and GBs once
// parsed). Here each distinct (key, stagedKey) is listed once and a location is [file, hash];
// unpacking shares one string per file among all rows, and gives back equal CompletedOrders.
import * as t from 'io-ts';

/** the structural shape of a completed order (the reference index's CompletedOrder) */
export interface LocatedOrder {
  readonly orderId: string;
  readonly fingerprint: string;
  readonly createdAt: number;
  readonly order: Location;
  readonly items: readonly Location[];
  readonly products: readonly Location[];
}
interface Location {
  readonly key: string;
  readonly stagedKey: string;
  readonly hash: string;
}

const PackedLocationC = t.tuple([t.number, t.string]);
const PackedOrderC = t.tuple([
  t.string,
  t.string,
  t.number,
  PackedLocationC,
  t.tuple([t.array(PackedLocationC), t.array(PackedLocationC)]),
]);
type PackedOrder = t.TypeOf<typeof PackedOrderC>;
/** the detailed codec, for its error report */
export const PackedOrdersStrictC = t.array(PackedOrderC);

const isLocation = (u: unknown): boolean =>
  Array.isArray(u) && u.length === 2 && typeof u[0] === 'number' && typeof u[1] === 'string';
const isLocations = (u: unknown): boolean => Array.isArray(u) && u.every(isLocation);
const isPackedOrder = (u: unknown): boolean =>
  Array.isArray(u) &&
  u.length === 5 &&
  typeof u[0] === 'string' &&
  typeof u[1] === 'string' &&
  typeof u[2] === 'number' &&
  isLocation(u[3]) &&
  Array.isArray(u[4]) &&
  u[4].length === 2 &&
  isLocations(u[4][0]) &&
  isLocations(u[4][1]);
const isPackedOrders = (u: unknown): u is PackedOrder[] =>
  Array.isArray(u) && u.every(isPackedOrder);

/**
 * The same type as PackedOrdersStrictC, checked by a plain loop first: io-ts allocates a context
 * per element, which made decoding a 1M-item manifest take seconds (it is read by Validate,
 * Transform and Archive). Only a value that fails the loop goes through io-ts, for its report.
 */
const PackedOrdersC = new t.Type<PackedOrder[], PackedOrder[], unknown>(
  'PackedOrders',
  isPackedOrders,
  (u, c) => (isPackedOrders(u) ? t.success(u) : PackedOrdersStrictC.validate(u, c)),
  t.identity,
);

export const PackedCompletionsC = t.type({
  /** [key, stagedKey] of every file a location names */
  files: t.array(t.tuple([t.string, t.string])),
  /** [orderId, fingerprint, createdAt, order, [items, products]] (io-ts tuples stop at 5) */
  orders: PackedOrdersC,
});
export type PackedCompletions = t.TypeOf<typeof PackedCompletionsC>;
type PackedLocation = t.TypeOf<typeof PackedLocationC>;

export const packCompletions = (orders: readonly LocatedOrder[]): PackedCompletions => {
  const files: [string, string][] = [];
  const index = new Map<string, Map<string, number>>();
  const pack = (l: Location): PackedLocation => {
    let byStaged = index.get(l.key);
    if (byStaged === undefined) index.set(l.key, (byStaged = new Map()));
    let i = byStaged.get(l.stagedKey);
    if (i === undefined) {
      i = files.push([l.key, l.stagedKey]) - 1;
      byStaged.set(l.stagedKey, i);
    }
    return [i, l.hash];
  };
  return {
    files,
    orders: orders.map((o) => [
      o.orderId,
      o.fingerprint,
      o.createdAt,
      pack(o.order),
      [o.items.map(pack), o.products.map(pack)],
    ]),
  };
};

/** the orders packed; a file index out of range is an error (the record is corrupt) */
export const unpackCompletions = (packed: PackedCompletions): LocatedOrder[] => {
  const unpack = ([i, hash]: PackedLocation): Location => {
    const file = packed.files[i];
    if (file === undefined)
      throw new RangeError(`packed location names file ${i} of ${packed.files.length}`);
    return { key: file[0], stagedKey: file[1], hash };
  };
  return packed.orders.map(([orderId, fingerprint, createdAt, order, [items, products]]) => ({
    orderId,
    fingerprint,
    createdAt,
    order: unpack(order),
    items: items.map(unpack),
    products: products.map(unpack),
  }));
};
