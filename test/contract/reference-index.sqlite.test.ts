import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryReferenceIndex } from '../../src/adapters/in-memory/in-memory-reference-index.js';
import { openSqlite } from '../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../src/adapters/sqlite/sqlite-reference-index.js';
import { COMPLETED_CHUNK } from '../../src/adapters/sqlite/sqlite-reference-statements.js';
import {
  COLUMNS,
  IN_PARTS,
  jsonRecordParts,
} from '../../src/adapters/sqlite/sqlite-landing-record.js';
import {
  completionColumnsJson,
  completionColumnsOf,
  completionsOf,
} from '../../src/domain/completion-columns.js';
import type { OrderCompletion } from '../../src/domain/order-completion.types.js';
import { packCompletions } from '../../src/domain/packed-completions.codec.js';

/** a record as the second form stored it: the packed completions' JSON */
const packedCompletionsJson = (orders: Parameters<typeof packCompletions>[0]): string =>
  JSON.stringify(packCompletions(orders));
import {
  describeReferenceIndexContract,
  itemsFile,
  ordersFile,
  productsFile,
} from './reference-index.contract.js';
import { sqliteFactory } from './sqlite-factory.js';

describeReferenceIndexContract(
  'sqlite',
  sqliteFactory((db) => new SqliteReferenceIndex(db)),
);

describe('SqliteReferenceIndex on disk', () => {
  const withDir = async (run: (path: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-ri-'));
    try {
      await run(join(dir, 'state.db'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('keeps its state across reopening, and two handles never complete an order twice', () =>
    withDir(async (path) => {
      const [a, b] = [openSqlite(path), openSqlite(path)];
      const [ia, ib] = [new SqliteReferenceIndex(a), new SqliteReferenceIndex(b)];
      await ia.register(productsFile('p.csv', ['p1']), 1);
      await ib.register(itemsFile('i.csv', [['i1', 'o1', 'p1']]), 2);
      const both = await Promise.all([
        ia.register(ordersFile('o.csv', [['o1', 1]]), 3),
        ib.register(ordersFile('o-dup.csv', [['o1', 1]]), 3),
      ]);
      expect(both.flatMap((c) => c.orderIds)).toEqual(['o1']);
      a.close();
      b.close();
      const c = openSqlite(path);
      const again = new SqliteReferenceIndex(c);
      expect((await again.register(ordersFile('o-3.csv', [['o1', 1]]), 4)).orderIds).toEqual([]);
      expect(await again.completedCount()).toBe(1);
      c.close();
    }));

  it('two processes landing the same orders at once complete each order once in all', () =>
    withDir(async (path) => {
      openSqlite(path).close(); // schema first, so the twins race on data, not on migrations
      const script = join(import.meta.dirname, 'support', 'sqlite-race-registrar.ts');
      const startAt = String(Date.now() + 3000);
      const run = (who: string) =>
        promisify(execFile)(process.execPath, [
          '--import',
          'tsx',
          script,
          path,
          who,
          '60',
          startAt,
        ]);
      const outputs = await Promise.all([run('a'), run('b')]);
      const all = outputs.flatMap((o) => JSON.parse(o.stdout) as string[]).sort();
      expect(all).toEqual(Array.from({ length: 60 }, (_, o) => `o${o}`).sort());
    }));

  it('registers a 10k-row items file in one set: every order it completes is returned', () =>
    withDir(async (path) => {
      const db = openSqlite(path);
      const index = new SqliteReferenceIndex(db);
      const n = 10_000;
      const ids = Array.from({ length: n }, (_, i) => `o${i}`);
      await index.register(
        productsFile(
          'p.csv',
          Array.from({ length: 100 }, (_, i) => `p${i}`),
        ),
        0,
      );
      await index.register(
        ordersFile(
          'o.csv',
          ids.map((id) => [id, 1]),
        ),
        0,
      );
      const done = completionsOf(
        await index.register(
          itemsFile(
            'i.csv',
            ids.map((id, i) => [`${id}-i`, id, `p${i % 100}`]),
          ),
          0,
        ),
      );
      expect(done.map((c) => c.orderId).sort()).toEqual([...ids].sort());
      expect(done.find((c) => c.orderId === 'o7')?.items).toEqual([
        { key: 'i.csv', stagedKey: 'staging/i.csv.parquet', hash: 'h-o7-i' },
      ]);
      expect(await index.pending()).toEqual([]);
      db.close();
    }));

  // the orders' states are written COMPLETED_CHUNK orders per statement, the rest one by one
  it('records what it reported for every order of a landing past one chunk of orders', () =>
    withDir(async (path) => {
      const db = openSqlite(path);
      const index = new SqliteReferenceIndex(db);
      const n = 2 * COMPLETED_CHUNK + 77;
      const ids = Array.from({ length: n }, (_, i) => `o${String(i).padStart(5, '0')}`);
      const orders = (key: string, changed: Set<string> = new Set()) =>
        ordersFile(
          key,
          ids.map((id): [string, number, string] => [id, 1, changed.has(id) ? 'h-new' : `h-${id}`]),
        );
      await index.register(productsFile('p.csv', ['p1']), 0);
      await index.register(orders('o.csv'), 0);
      const done = await index.register(
        itemsFile(
          'i.csv',
          ids.map((id) => [`${id}-i`, id, 'p1']),
        ),
        0,
      );
      expect(done.orderIds).toHaveLength(n);
      expect(await index.pending()).toEqual([]);
      expect(await index.completedCount()).toBe(n);
      // the same content again reports nothing: each order's fingerprint was recorded
      expect((await index.register(orders('o-again.csv'), 1)).orderIds).toEqual([]);
      // a change in the first chunk, in the second, and among the rest: those alone
      const changed = [ids[3], ids[COMPLETED_CHUNK + 5], ids[n - 2]] as string[];
      const again = await index.register(orders('o-changed.csv', new Set(changed)), 2);
      expect([...again.orderIds].sort()).toEqual(changed);
      db.close();
    }));

  describe('answers a landing recorded by an earlier version as columns', () => {
    const landing = itemsFile('old.csv', [['i1', 'o1', 'p1']]);
    const stored: OrderCompletion[] = [
      {
        orderId: 'o1',
        fingerprint: 'fp',
        createdAt: 5,
        order: { key: 'o.csv', stagedKey: 'staging/o.csv.parquet', hash: 'h-o1' },
        items: [{ key: 'old.csv', stagedKey: landing.stagedKey, hash: 'h-i1' }],
        products: [{ key: 'p.csv', stagedKey: 'staging/p.csv.parquet', hash: 'h-p1' }],
      },
      {
        orderId: 'o2',
        fingerprint: 'fp2',
        createdAt: Number.NaN,
        order: { key: 'o.csv', stagedKey: 'staging/o.csv.parquet', hash: 'h-o2' },
        items: [],
        products: [],
      },
    ];
    const records: [string, string | Buffer][] = [
      ['a plain JSON array', JSON.stringify(stored)],
      ['the packed form, as text', packedCompletionsJson(stored)],
      ['the packed form, gzip', gzipSync(packedCompletionsJson(stored))],
      ['the packed form, brotli', brotliCompressSync(packedCompletionsJson(stored))],
    ];
    for (const [form, record] of records) {
      it(form, () =>
        withDir(async (path) => {
          const db = openSqlite(path);
          db.prepare('INSERT INTO ri_landings (staged_key, completions) VALUES (?, ?)').run(
            landing.stagedKey,
            record,
          );
          const answer = await new SqliteReferenceIndex(db).register(landing, 9);
          expect(answer).toEqual(completionColumnsOf(stored));
          expect(completionsOf(answer)).toEqual(stored);
          db.close();
        }),
      );
    }
  });

  it("stores a landing's answer as its completion columns, and gives the same answer again", () =>
    withDir(async (path) => {
      const db = openSqlite(path);
      const index = new SqliteReferenceIndex(db);
      await index.register(productsFile('p.csv', ['p1']), 1);
      await index.register(
        ordersFile('o.csv', [
          ['o1', 2],
          ['o2', 1],
        ]),
        2,
      );
      const items = itemsFile('i.csv', [
        ['i1', 'o1', 'p1'],
        ['i2', 'o1', 'p1'],
        ['i3', 'o2', 'p1'],
      ]);
      const first = await index.register(items, 3);
      expect([...first.orderIds].sort()).toEqual(['o1', 'o2']);
      const row = db
        .prepare<[string], { completions: Buffer }>(
          'SELECT completions FROM ri_landings WHERE staged_key = ?',
        )
        .get(items.stagedKey);
      // kept as the columns' segments, each compressed (a header, then the columns in order)
      expect(row?.completions).toEqual(COLUMNS);
      const parts = db
        .prepare<[string], { bytes: Buffer }>(
          'SELECT bytes FROM ri_landing_parts WHERE staged_key = ? ORDER BY part',
        )
        .all(items.stagedKey);
      // kept only for a re-run, so compressed; each file once, not once per row
      const header = brotliDecompressSync(parts[0]?.bytes ?? Buffer.alloc(0)).toString('utf8');
      expect(header.split(items.stagedKey)).toHaveLength(2);
      expect(await new SqliteReferenceIndex(db).register(items, 4)).toEqual(first);
      // records stored before, as JSON (in parts; gzip'd, before brotli), give the same answer
      const text = completionColumnsJson(first);
      db.prepare('DELETE FROM ri_landing_parts WHERE staged_key = ?').run(items.stagedKey);
      const put = db.prepare('INSERT INTO ri_landing_parts VALUES (?, ?, ?)');
      [...jsonRecordParts(first, 7)].forEach((p, i) => put.run(items.stagedKey, i, p));
      db.prepare('UPDATE ri_landings SET completions = ? WHERE staged_key = ?').run(
        IN_PARTS,
        items.stagedKey,
      );
      expect(await new SqliteReferenceIndex(db).register(items, 5)).toEqual(first);
      db.prepare('UPDATE ri_landings SET completions = ? WHERE staged_key = ?').run(
        gzipSync(text),
        items.stagedKey,
      );
      expect(await new SqliteReferenceIndex(db).register(items, 5)).toEqual(first);
      // a damaged record is an error, not a wrong answer
      db.prepare('UPDATE ri_landings SET completions = ? WHERE staged_key = ?').run(
        text.replace('"itemStart":[0,', '"itemStart":[1,'),
        items.stagedKey,
      );
      await expect(new SqliteReferenceIndex(db).register(items, 6)).rejects.toThrow(/itemStart/);
      db.close();
    }));

  it('releases handed-over keys once it has read them, and answers as without', () =>
    withDir(async (path) => {
      const db = openSqlite(path);
      const [handed, kept] = [
        new SqliteReferenceIndex(db),
        new SqliteReferenceIndex(openSqlite(':memory:')),
      ];
      const landings = [
        productsFile('p.csv', ['p1', 'p2']),
        ordersFile('o.csv', [
          ['o1', 2],
          ['o2', 1],
        ]),
        itemsFile('i.csv', [
          ['i1', 'o1', 'p1'],
          ['i2', 'o1', 'p2'],
          ['i3', 'o2', 'p2'],
        ]),
      ];
      for (const [at, landing] of landings.entries()) {
        // a copy whose release empties its columns, as LandingKeysBuilder's does
        const copy = structuredClone(landing);
        let released = 0;
        const columns = Object.values(copy).filter((v): v is string[] => Array.isArray(v));
        const answer = await handed.register(
          {
            ...copy,
            release: () => {
              released++;
              for (const c of columns) c.length = 0;
            },
          },
          at,
        );
        expect(released).toBe(1);
        expect(answer).toEqual(await kept.register(landing, at));
      }
      db.close();
    }));

  it.each([
    ['text', ['h-b', 'h-a', 'h-c']],
    ['hex', ['00000000000000b0', '00000000000000a0', 'c0ffee00c0ffee00']],
  ])('sorts ids past U+FFFF as the decider does (JS code units; %s hashes)', (_, [hb, ha, hc]) =>
    withDir(async (path) => {
      const db = openSqlite(path);
      const [sqlite, decider] = [new SqliteReferenceIndex(db), new InMemoryReferenceIndex()];
      // UTF-8 puts the emoji after U+FFFD, UTF-16 before it
      const landings = [
        productsFile('p.csv', ['p\u{1F600}', 'p\uFFFD', 'p1']),
        itemsFile('i.csv', [
          ['i\uFFFD', 'o1', 'p\uFFFD', hb as string],
          ['i\u{1F600}', 'o1', 'p\u{1F600}', ha as string],
          ['i1', 'o2', 'p1', hc as string],
        ]),
        ordersFile('o.csv', [
          ['o1', 2],
          ['o2', 1],
        ]),
      ];
      for (const landing of landings) {
        const [got, want] = await Promise.all([
          sqlite.register(landing, 1),
          decider.register(landing, 1),
        ]);
        expect(got).toEqual(want);
      }
      db.close();
    }),
  );

  // the completion query gives an order's items as one text joined by U+001F
  // (sqlite-reference-statements.ts CompletionRow): ids holding that separator (or being it),
  // empty ids, ids past U+FFFF, hashes that are not 16 lowercase hex digits and orders whose
  // items came in several files must come out as the decider says
  it('answers as the decider for odd ids, odd hashes and orders split across files (property)', () =>
    withDir(async (path) => {
      let run = 0;
      const sorted = (cs: OrderCompletion[]) =>
        [...cs].sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
      const odd = [
        'p1',
        '',
        '\u001f',
        'p\u001fq',
        '\u001f\u001f',
        'p,"q"',
        'p\u{1F600}',
        'p\uFFFD',
      ];
      // mostly 16 lowercase hex digits (kept as 8 bytes, the items text's usual case)
      const hashes = [
        '00000000000000b0',
        'c0ffee00c0ffee00',
        '00000000000000a1',
        'ffffffffffffffff',
        'C0FFEE00C0FFEE00',
        'zzzzzzzzzzzzzzzz',
        'h-short',
        '',
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              order: fc.nat(2),
              item: fc.constantFrom('i1', 'i2', 'i\u001f', 'i\u{1F600}', 'i\uFFFD', ''),
              product: fc.constantFrom(...odd),
              hash: fc.constantFrom(...hashes),
              file: fc.nat(1),
            }),
            { minLength: 1, maxLength: 8 },
          ),
          fc.subarray(odd),
          async (items, landed) => {
            const db = openSqlite(`${path}-${run++}`);
            const [sqlite, decider] = [new SqliteReferenceIndex(db), new InMemoryReferenceIndex()];
            // item ids distinct per order (an id names one item); the orders expect what lands
            const byId = new Map(items.map((r) => [`${r.order}/${r.item}`, r]));
            const rows = [...byId.values()];
            const itemRows = (file: number) =>
              rows
                .filter((r) => r.file === file)
                .map((r): [string, string, string, string] => [
                  `${r.item}#${r.order}`,
                  `o${r.order}\u001f`,
                  r.product,
                  r.hash,
                ]);
            const counts = [0, 1, 2].map((o) => rows.filter((r) => r.order === o).length);
            const landings = [
              productsFile('p.csv', landed),
              itemsFile('i0.csv', itemRows(0)),
              ordersFile(
                'o.csv',
                counts.map((n, o): [string, number, string] => [`o${o}\u001f`, n, `h-o${o}`]),
              ),
              itemsFile('i1.csv', itemRows(1)),
              productsFile('p2.csv', odd),
            ];
            try {
              for (const [at, landing] of landings.entries()) {
                const [got, want] = await Promise.all([
                  sqlite.register(landing, at),
                  decider.register(landing, at),
                ]);
                expect(sorted(completionsOf(got))).toEqual(sorted(completionsOf(want)));
              }
            } finally {
              db.close();
            }
          },
        ),
        { numRuns: 100 },
      );
    }));
});
