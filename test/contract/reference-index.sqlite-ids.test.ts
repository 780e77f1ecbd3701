// The SQLite index keys canonical decimal ids as INTEGERs and every other id as TEXT (idKey):
// SQLite then sorts an order's items by value, integers before text, where the decider sorts
// the id strings as JS does ('10' < '9'). Orders whose items mix such ids must come out as the
// decider says, landed whole or batch by batch, and look-alikes ('12', '012', ' 12') stay apart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryReferenceIndex } from '../../src/adapters/in-memory/in-memory-reference-index.js';
import { openSqlite } from '../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../src/adapters/sqlite/sqlite-reference-index.js';
import { idKey, idText, keyAt } from '../../src/adapters/sqlite/sqlite-id-key.js';
import { completionsOf } from '../../src/domain/completion-columns.js';
import { itemsFile, ordersFile, productsFile } from './reference-index.contract.js';
import { expectSameAsDecider } from './support/same-as-decider.js';
import { registerOpened } from './support/sqlite-opened-landing.js';

const withDir = async (run: (path: string) => Promise<void>): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-ri-ids-'));
  try {
    await run(join(dir, 'state.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** integer-looking ids of several lengths, and look-alikes that are text */
const IDS = [
  '0',
  '1',
  '7',
  '9',
  '10',
  '12',
  '99',
  '100',
  '012',
  '00',
  '-1',
  '+7',
  '1e3',
  ' 7',
  '12 ',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '1234567890123456',
  'a',
  'Z',
];

describe('SQLite reference index: integer and text ids', () => {
  it('keys canonical decimal integers below 2^53 as numbers, and gives every id back as given', () => {
    expect(['0', '7', '10', '9007199254740991'].map(idKey)).toEqual([0, 7, 10, 9007199254740991]);
    const text = ['', '00', '012', '-1', '-0', '+7', '1e3', ' 7', '7 ', '1.0', '9007199254740992'];
    expect([...text, '9007199254740993', '12345678901234567', 'x'].map(idKey)).toEqual([
      ...text,
      '9007199254740993',
      '12345678901234567',
      'x',
    ]);
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.bigInt({ min: 0n, max: 1n << 60n }).map(String)),
        (s) => {
          const key = idKey(s);
          expect(idText(key)).toBe(s);
          const canonical = /^(0|[1-9][0-9]*)$/.test(s) && BigInt(s) < 1n << 53n;
          expect(typeof key).toBe(canonical ? 'number' : 'string');
        },
      ),
    );
  });

  it('reads an id inside a text as idKey reads it cut out (keyAt)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.constantFrom(...IDS),
          fc.bigInt({ min: 0n, max: 1n << 60n }).map(String),
        ),
        fc.string({ maxLength: 3 }),
        fc.string({ maxLength: 3 }),
        (id, before, after) => {
          const text = `${before}${id}${after}`;
          expect(keyAt(text, before.length, before.length + id.length)).toBe(idKey(id));
        },
      ),
    );
  });

  it('stores integer ids as INTEGERs and look-alikes as distinct TEXT', () =>
    withDir(async (path) => {
      const db = openSqlite(path);
      const index = new SqliteReferenceIndex(db);
      await index.register(productsFile('p.csv', ['12', '012']), 1);
      await index.register(
        itemsFile('i.csv', [
          ['12', '12', '12'],
          ['012', '012', '012'],
          [' 12', '12', '012'],
        ]),
        2,
      );
      const rows = db
        .prepare(
          `SELECT typeof(order_id) AS o, typeof(item_id) AS i, typeof(product_id) AS p
           FROM ri_items ORDER BY order_id, item_id`,
        )
        .all();
      expect(rows).toEqual([
        { o: 'integer', i: 'integer', p: 'integer' },
        { o: 'integer', i: 'text', p: 'text' },
        { o: 'text', i: 'text', p: 'text' },
      ]);
      const done = completionsOf(
        await index.register(
          ordersFile('o.csv', [
            ['12', 2],
            ['012', 1],
          ]),
          3,
        ),
      );
      expect(done.map((c) => [c.orderId, c.items.length, c.products.length])).toEqual([
        ['12', 2, 2],
        ['012', 1, 1],
      ]);
      db.close();
    }));

  /**
   * the decider's answers, landing after landing, for item ids drawn from `itemIds`: all
   * canonical integers, the completion query takes its integer-items form (order() reduced to
   * its length test), which these orders of '9' and '10' and '100' test
   */
  const answersAsTheDecider = (itemIds: readonly string[]) =>
    withDir(async (path) => {
      let run = 0;
      const hashes = ['00000000000000b0', 'c0ffee00c0ffee00', '00000000000000a1', 'h-text'];
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              order: fc.constantFrom(...IDS),
              item: fc.constantFrom(...itemIds),
              product: fc.constantFrom(...IDS),
              hash: fc.constantFrom(...hashes),
              file: fc.nat(1),
            }),
            { minLength: 1, maxLength: 10 },
          ),
          fc.subarray(IDS),
          fc.boolean(),
          async (items, landed, batched) => {
            const db = openSqlite(`${path}-${run++}`);
            const [sqlite, decider] = [new SqliteReferenceIndex(db), new InMemoryReferenceIndex()];
            // an item id names one item (a file never holds it twice): the last row of an id
            // in each file is kept; a later file may move it to another order
            const itemRows = (file: number): [string, string, string, string][] => [
              ...new Map(
                items
                  .filter((r) => r.file === file)
                  .map((r): [string, [string, string, string, string]] => [
                    r.item,
                    [r.item, r.order, r.product, r.hash],
                  ]),
              ).values(),
            ];
            const [first, second] = [itemRows(0), itemRows(1)];
            const final = new Map([...first, ...second].map((r) => [r[0], r]));
            const orders = [...new Set(items.map((r) => r.order))];
            const count = (o: string) => [...final.values()].filter((r) => r[1] === o).length;
            const landings = [
              productsFile('p.csv', landed),
              itemsFile('i0.csv', first),
              ordersFile(
                'o.csv',
                orders.map((o): [string, number, string] => [o, count(o), `h-o${o}`]),
              ),
              itemsFile('i1.csv', second),
              productsFile('p2.csv', IDS),
            ];
            try {
              await expectSameAsDecider(
                landings,
                (landing, at) =>
                  batched
                    ? registerOpened(sqlite, landing, at, [1], [false])
                    : sqlite.register(landing, at),
                decider,
                sqlite,
              );
            } finally {
              db.close();
            }
          },
        ),
        { numRuns: 150 },
      );
    });

  it('answers as the decider for orders of integer-looking and other ids (property)', () =>
    answersAsTheDecider(IDS));

  it('answers as the decider for orders whose item ids are all integers (property)', () =>
    answersAsTheDecider(IDS.filter((id) => typeof idKey(id) === 'number')));
});
