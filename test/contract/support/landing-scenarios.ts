// Random landing sequences for the reference index: orders, items (some missing, some moved to
// another order, some re-delivered with changed content), products (some never landing), in any
// order and split into files of any size, with duplicates.
import fc from 'fast-check';
import { fingerprint } from '../../../src/domain/fingerprint.js';
import { hexWord } from '../../../src/domain/hex-words.js';
import type {
  KeyBatch,
  LandingKeys,
  ReferenceIndex,
} from '../../../src/ports/reference-index.port.js';

type Row =
  | { ds: 'orders'; id: string; n: number; hash: string }
  | { ds: 'order_items'; id: string; orderId: string; productId: string; hash: string }
  | { ds: 'products'; id: string; hash: string };

/**
 * how row hashes are spelled: as names ('h-o1i0'), as 16 lowercase hex digits (what a landing
 * computes; the SQLite index keeps those as 8 bytes and reads them as words), or both mixed
 */
type Spelling = 'text' | 'hex' | 'mixed';
const spell = (hash: string, spelling: Spelling): string =>
  spelling === 'hex' || (spelling === 'mixed' && hash.length % 2 === 0)
    ? fingerprint([hash])
    : hash;

const toLanding = (rows: Row[], n: number, spelling: Spelling): LandingKeys => {
  const fileKey = `incoming/${rows[0]?.ds}/f${n}.csv`;
  const hashes = rows.map((r) => spell(r.hash, spelling));
  // all 16 hex digits: also given as words, as a landing gives them (the SQLite index reads those)
  const words =
    spelling === 'hex'
      ? { hashWords: Uint32Array.from(hashes.flatMap((h) => [hexWord(h, 8), hexWord(h, 0)])) }
      : {};
  const base = { fileKey, stagedKey: `staging/f${n}.parquet`, hashes, ...words };
  const os = rows.flatMap((r) => (r.ds === 'orders' ? [r] : []));
  const is = rows.flatMap((r) => (r.ds === 'order_items' ? [r] : []));
  if (os.length > 0) {
    return {
      ...base,
      dataset: 'orders',
      orderIds: os.map((r) => r.id),
      numOfItems: Float64Array.from(os.map((r) => r.n)),
      createdAt: Float64Array.from(os.map((_, i) => Date.UTC(2024, 0, 1 + i))),
    };
  }
  if (is.length > 0) {
    return {
      ...base,
      dataset: 'order_items',
      itemIds: is.map((r) => r.id),
      orderIds: is.map((r) => r.orderId),
      productIds: is.map((r) => r.productId),
    };
  }
  return { ...base, dataset: 'products', productIds: rows.map((r) => r.id) };
};

const rowsOf = fc
  .record({
    products: fc.integer({ min: 1, max: 4 }),
    orders: fc.array(fc.array(fc.nat(3), { maxLength: 3 }), { minLength: 1, maxLength: 5 }),
    dropProduct: fc.option(fc.nat(3)),
    dropItems: fc.array(fc.nat(20), { maxLength: 2 }),
    changes: fc.array(fc.nat(40), { maxLength: 3 }),
    /** rows changed and then changed back (A -> B -> A) */
    reverts: fc.array(fc.nat(40), { maxLength: 2 }),
    moves: fc.array(fc.tuple(fc.nat(20), fc.nat(4)), { maxLength: 1 }),
  })
  .map((u) => {
    const rows: Row[] = [];
    u.orders.forEach((items, o) => {
      rows.push({ ds: 'orders', id: `o${o}`, n: items.length, hash: `h-o${o}` });
      items.forEach((p, i) =>
        rows.push({
          ds: 'order_items',
          id: `o${o}i${i}`,
          orderId: `o${o}`,
          productId: `p${p % u.products}`,
          hash: `h-o${o}i${i}`,
        }),
      );
    });
    for (let p = 0; p < u.products; p++) {
      if (u.dropProduct !== p) rows.push({ ds: 'products', id: `p${p}`, hash: `h-p${p}` });
    }
    const items = rows.filter((r) => r.ds === 'order_items');
    const dropped = new Set<Row | undefined>(
      u.dropItems.map((i) => items[i % Math.max(1, items.length)]),
    );
    const kept = rows.filter((r) => !dropped.has(r));
    const changed = u.changes.flatMap((c) => {
      const r = kept[c % kept.length];
      return r === undefined ? [] : [{ ...r, hash: `${r.hash}-v2` }];
    });
    const moved = u.moves.flatMap(([i, o]) => {
      const r = items[i % Math.max(1, items.length)];
      return r?.ds === 'order_items'
        ? [{ ...r, orderId: `o${o % u.orders.length}`, hash: `${r.hash}-moved` }]
        : [];
    });
    // a correction and its undo: the original content lands again after the changed one (the
    // shuffle below may put them in any order, which is the point)
    const reverted = u.reverts.flatMap((c) => {
      const r = kept[c % kept.length];
      return r === undefined ? [] : [{ ...r, hash: `${r.hash}-b` }, { ...r }];
    });
    return [...kept, ...changed, ...moved, ...reverted];
  });

/**
 * ids an index may key otherwise than as text (the SQLite index keeps canonical decimal integers
 * below 2^53 as INTEGERs, which sort by value and before any text): integer-looking ids of
 * several lengths, and look-alikes that must stay distinct text
 */
const ID_POOL = [
  '0',
  '1',
  '2',
  '7',
  '9',
  '10',
  '11',
  '12',
  '99',
  '100',
  '1000',
  '012',
  '007',
  '00',
  '-1',
  '-0',
  '+7',
  '1e3',
  ' 7',
  '7 ',
  '1.0',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '123456789012345',
  '1234567890123456',
  '12345678901234567',
  'a',
  'o1',
];
const shuffledPool = fc.shuffledSubarray(ID_POOL, {
  minLength: ID_POOL.length,
  maxLength: ID_POOL.length,
});
/** each kind's names ('o1', 'o1i0', 'p0') given ids of the pool, one each, in the order met */
const renamer = (pool: readonly string[]) => {
  const given = new Map<string, string>();
  return (name: string): string => {
    let id = given.get(name);
    if (id === undefined) {
      id = pool[given.size] ?? `${name}-more`;
      given.set(name, id);
    }
    return id;
  };
};
const renamed = (
  rows: Row[],
  pools: { orders: string[]; items: string[]; products: string[] } | null,
): Row[] => {
  if (pools === null) return rows;
  const [order, item, product] = [
    renamer(pools.orders),
    renamer(pools.items),
    renamer(pools.products),
  ];
  return rows.map((r) =>
    r.ds === 'orders'
      ? { ...r, id: order(r.id) }
      : r.ds === 'products'
        ? { ...r, id: product(r.id) }
        : { ...r, id: item(r.id), orderId: order(r.orderId), productId: product(r.productId) },
  );
};

/** Landings in arrival order (consecutive rows of one dataset share a file unless split). */
export const landingScenarios = rowsOf.chain((rows) =>
  fc
    .record({
      order: fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
      dups: fc.array(fc.nat(rows.length - 1), { maxLength: 3 }),
      splits: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
      spelling: fc.constantFrom<Spelling>('text', 'hex', 'mixed'),
      // the generated names, or ids from ID_POOL (integer-looking and not)
      ids: fc.option(
        fc.record({ orders: shuffledPool, items: shuffledPool, products: shuffledPool }),
      ),
    })
    .map(({ order, dups, splits, spelling, ids }) => {
      const named = renamed(order, ids);
      const all = [...named, ...dups.map((d) => named[d] as Row)];
      const files: Row[][] = [];
      all.forEach((r, i) => {
        const last = files[files.length - 1];
        // a file never holds one item id twice (unique.key), so a repeat starts a new file
        const repeat = last?.some((x) => x.id === r.id) === true;
        if (
          last === undefined ||
          last[0]?.ds !== r.ds ||
          repeat ||
          splits[i % splits.length] === true
        ) {
          files.push([r]);
        } else last.push(r);
      });
      return files.map((rows, n) => toLanding(rows, n, spelling));
    }),
);

/** rows [from, to) of a landing's keys, as a landing hands a decoded batch over (a copy) */
const sliceKeys = (landing: LandingKeys, from: number, to: number): KeyBatch => {
  const words = landing.hashWords;
  const hashes =
    words === undefined
      ? { hashes: landing.hashes.slice(from, to) }
      : { hashWords: words.slice(2 * from, 2 * to) };
  switch (landing.dataset) {
    case 'orders':
      return {
        dataset: 'orders',
        orderIds: landing.orderIds.slice(from, to),
        numOfItems: landing.numOfItems.slice(from, to),
        createdAt: landing.createdAt.slice(from, to),
        ...hashes,
      };
    case 'order_items':
      return {
        dataset: 'order_items',
        itemIds: landing.itemIds.slice(from, to),
        orderIds: landing.orderIds.slice(from, to),
        productIds: landing.productIds.slice(from, to),
        ...hashes,
      };
    case 'products':
      return { dataset: 'products', productIds: landing.productIds.slice(from, to), ...hashes };
  }
};

/**
 * registers a landing through ReferenceIndex.begin, its keys in batches of `size` rows (as a
 * landing of `bytes` bytes: an index may decline, and is then given the whole landing); the
 * answer once the register is committed
 */
export const registerInBatches = async (
  index: ReferenceIndex,
  landing: LandingKeys,
  size: number,
  now: number,
  bytes = 1 << 20,
) => {
  if (index.begin === undefined) throw new Error('the index does not take keys batch by batch');
  const { fileKey, stagedKey } = landing;
  // the register's time given at begin too, as LandFile gives it
  const staging = index.begin(landing.dataset, { fileKey, stagedKey, bytes, now });
  if (staging === undefined) return index.register(landing, now);
  const rows = landing.hashes.length;
  for (let at = 0; at < rows; at += size) staging.add(sliceKeys(landing, at, at + size));
  const answer = await staging.register(landing.fileKey, landing.stagedKey, now);
  await staging.committed();
  return answer;
};
