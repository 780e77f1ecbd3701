// An order_items landing opened on a connection (openLanding, the register's worker) completes
// the orders it alone gives items to from its own rows (LandingItems), and every other touched
// order by the completion query (t_sql): orders with items of an earlier landing, orders an
// item moved away from, orders with an item id the landing names twice. Both kinds in one
// landing, in any mix, must answer as the decider does; so must the columns the rows are kept
// in (integers, integers past 2^32, text ids) and the hashes' forms (words, text, both).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryReferenceIndex } from '../../src/adapters/in-memory/in-memory-reference-index.js';
import { openSqlite } from '../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../src/adapters/sqlite/sqlite-reference-index.js';
import { idKey, idText } from '../../src/adapters/sqlite/sqlite-id-key.js';
import {
  keyColumn,
  textOrder,
  wireKeyColumn,
} from '../../src/adapters/sqlite/sqlite-reference-landing-items.js';
import { fingerprint } from '../../src/domain/fingerprint.js';
import type { LandingKeys } from '../../src/ports/reference-index.port.js';
import { itemsFile, ordersFile, productsFile } from './reference-index.contract.js';
import { expectSameAsDecider } from './support/same-as-decider.js';
import { registerOpened } from './support/sqlite-opened-landing.js';

/** id pools of each kind of column LandingItems keeps: small integers, past 2^32, text */
const POOLS = {
  small: ['1', '2', '3', '9', '10', '11', '100'],
  wide: ['4294967295', '4294967296', '9007199254740991', '5', '50'],
  text: ['a', '7', '07', 'b-1', '10', '9', ''],
};
type Pool = keyof typeof POOLS;

/** a hash of a row, by version: 16 hex digits (read as words) or a text name */
const hashOf = (name: string, version: number, hex: boolean): string =>
  hex ? fingerprint([`${name}@${version}`]) : `h-${name}@${version}`;

const withDir = async (run: (path: string) => Promise<void>): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-ri-own-rows-'));
  try {
    await run(join(dir, 'state'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const itemRow = fc.record({
  item: fc.nat(9),
  order: fc.nat(4),
  product: fc.nat(2),
  /** a few versions of a row's content: a row changed and changed back lands A, B, A */
  version: fc.nat(2),
});

/** id columns of every kind: text, absent, canonical integers up to 2^54 and small ones */
const idColumns = fc.array(
  fc.oneof(
    fc.string(),
    fc.constant(null),
    fc.bigInt({ min: 0n, max: 1n << 54n }).map(String),
    fc.nat().map(String),
  ),
);

describe('SQLite reference index: a landing completes its own orders from its rows', () => {
  it('answers as the decider for any mix of new orders, earlier items, moves and repeats (property)', () =>
    withDir(async (path) => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<Pool>('small', 'wide', 'text'),
          fc.constantFrom<Pool>('small', 'wide', 'text'),
          fc.boolean(),
          // item landings (each: rows, which may name an item id twice, in one order or two)
          fc.array(fc.array(itemRow, { minLength: 1, maxLength: 8 }), {
            minLength: 1,
            maxLength: 4,
          }),
          // where the orders land: before the items landing of this index (or after all)
          fc.array(fc.nat(4), { minLength: 5, maxLength: 5 }),
          // the order counts given: the true count of the items landed last, or one off
          fc.array(fc.integer({ min: -1, max: 1 }), { minLength: 5, maxLength: 5 }),
          fc.subarray([0, 1, 2]),
          fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
          fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
          // each batch's ids as given, or as the keys the worker's batches carry (wireBatch)
          fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
          async (idPool, itemPool, hex, landings, orderAt, countOff, early, sizes, words, wire) => {
            const db = openSqlite(`${path}-${run++}`);
            const [sqlite, decider] = [new SqliteReferenceIndex(db), new InMemoryReferenceIndex()];
            const ids = POOLS[idPool];
            const itemIds = POOLS[itemPool];
            const orderId = (o: number) => ids[o % ids.length] as string;
            const productId = (p: number) => `p${p}`;
            const itemId = (i: number) =>
              `${itemIds[i % itemIds.length]}${i >= itemIds.length ? 'x' : ''}`;
            // the items of each order after every items landing (the last row of an id wins)
            const final = new Map<string, string>();
            for (const rows of landings)
              for (const r of rows) final.set(itemId(r.item), orderId(r.order));
            const count = (o: string) => [...final.values()].filter((x) => x === o).length;
            const orders = (n: number) =>
              ordersFile(
                `o${n}.csv`,
                [0, 1, 2, 3, 4]
                  .filter((o) => (orderAt[o] ?? 0) === n)
                  .map((o): [string, number, string] => [
                    orderId(o),
                    Math.max(0, count(orderId(o)) + (countOff[o] ?? 0)),
                    hashOf(`o${o}`, 0, hex),
                  ])
                  .filter(([id], i, all) => all.findIndex(([x]) => x === id) === i),
              );
            const sequence: LandingKeys[] = [productsFile('p.csv', early.map(productId))];
            landings.forEach((rows, n) => {
              sequence.push(orders(n));
              sequence.push(
                itemsFile(
                  `i${n}.csv`,
                  rows.map((r) => [
                    itemId(r.item),
                    orderId(r.order),
                    productId(r.product),
                    hashOf(`i${r.item}`, r.version, hex),
                  ]),
                ),
              );
            });
            sequence.push(
              orders(landings.length),
              orders(4),
              productsFile('p2.csv', ['p0', 'p1', 'p2']),
            );
            try {
              // an orders landing with no rows is not a landing (land-file never registers one)
              const landed = sequence.filter(
                (l) => !(l.dataset === 'orders' && l.orderIds.length === 0),
              );
              await expectSameAsDecider(
                landed,
                (landing, at) => registerOpened(sqlite, landing, at, sizes, words, wire),
                decider,
                sqlite,
              );
            } finally {
              db.close();
            }
          },
        ),
        { numRuns: 200 },
      );
    }));

  it('keeps ids in the smallest column that holds their keys', () => {
    expect(keyColumn(['1', '2', '4294967295'])).toBeInstanceOf(Uint32Array);
    expect(keyColumn(['1', '4294967296'])).toBeInstanceOf(Float64Array);
    expect(keyColumn(['1', '4294967296', '9007199254740991'])).toEqual(
      Float64Array.of(1, 4294967296, 9007199254740991),
    );
    expect(keyColumn(['1', '4294967296', 'a', null, '012'])).toEqual([
      1,
      4294967296,
      'a',
      '',
      '012',
    ]);
    fc.assert(
      fc.property(idColumns, (given) => {
        expect([...keyColumn(given)]).toEqual(given.map((id) => idKey(id ?? '')));
      }),
    );
  });

  it("reads a batch's ids sent as their keys (wireKeyColumn) as the ids themselves (property)", () => {
    fc.assert(
      fc.property(idColumns, (given) => {
        const wire = wireKeyColumn(given);
        // typed keys cross in a buffer of their own, which postMessage can transfer
        if (!Array.isArray(wire)) {
          expect(wire.buffer).toBeInstanceOf(ArrayBuffer);
          expect((wire.buffer as { resizable?: boolean }).resizable).toBe(false);
          expect(wire.buffer.byteLength).toBe(wire.byteLength);
        }
        const read = keyColumn(wire);
        const direct = keyColumn(given);
        expect(read.constructor).toBe(direct.constructor);
        expect([...read]).toEqual([...direct]);
      }),
    );
  });

  it('orders ids as JS orders their strings (textOrder)', () => {
    const id = fc.oneof(
      fc.string(),
      fc.bigInt({ min: 0n, max: (1n << 53n) - 1n }).map(String),
      fc.nat(1000).map(String),
    );
    fc.assert(
      fc.property(id, id, (a, b) => {
        const [x, y] = [idText(idKey(a)), idText(idKey(b))];
        expect(Math.sign(textOrder(idKey(a), idKey(b)))).toBe(x < y ? -1 : x > y ? 1 : 0);
      }),
    );
  });
});
