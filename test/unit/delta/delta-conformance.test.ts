// Issue 12 point 8: the places where our tables or our writer departed from the protocol or from
// what Spark expects. Each test failed on the writer before the fix.
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeCommit } from '../../../src/adapters/delta/delta-actions.js';
import type { DeltaTableDefinition } from '../../../src/adapters/delta/delta-commit.js';
import { encodeDataFile } from '../../../src/adapters/delta/delta-data-file.js';
import { rowsOfFile } from '../../../src/adapters/delta/delta-rows.js';
import {
  field,
  parsePartitionValue,
  schemaString,
} from '../../../src/adapters/delta/delta-schema.js';
import { compareUtf8, statsJson } from '../../../src/adapters/delta/delta-stats.js';
import { DeltaTable } from '../../../src/adapters/delta/delta-table.js';
import { FileSystemObjectStore } from '../../../src/adapters/filesystem/filesystem-object-store.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';

const scratch = mkdtempSync(join(tmpdir(), 'delta-conformance-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const KV: DeltaTableDefinition = {
  fields: [field('k', 'string'), field('v', 'long')],
  partitionColumns: ['k'],
};

const write = (rows: { k: string | null; v: number }[]) => async () => ({
  operation: 'WRITE',
  removes: [],
  writes: rows.map((r) => ({ partitionValues: { k: r.k }, rows: [r] })),
  partitions: new Set<string>(),
});

/** a table whose first commit holds the given protocol and metaData, written by someone else */
async function foreignTable(protocol: object, metaData: Partial<Record<string, unknown>> = {}) {
  const store = new InMemoryObjectStore();
  const meta = {
    id: 'x',
    format: { provider: 'parquet', options: {} },
    schemaString: schemaString(KV.fields),
    partitionColumns: ['k'],
    configuration: {},
    ...metaData,
  };
  await store.put(
    't/_delta_log/00000000000000000000.json',
    serializeCommit([{ protocol } as never, { metaData: meta } as never]),
  );
  return { store, table: new DeltaTable(store, 't', KV) };
}

describe('partition values', () => {
  it('escapes them in paths as Spark does and reads them back, an empty value as null', async () => {
    const store = new InMemoryObjectStore();
    const table = new DeltaTable(store, 't', KV);
    const values = ['100%', 'a b', 'x/y', 'k=v:1#?', '', null];
    await table.commit(null, write(values.map((k, v) => ({ k, v }))));
    const snapshot = await table.snapshot();
    const dirs = [...(snapshot?.files.values() ?? [])].map((f) => f.path.split('/part-')[0]);
    expect(dirs.sort()).toEqual(
      [
        'k=100%2525',
        'k=a%20b',
        'k=x%252Fy',
        'k=k%253Dv%253A1%2523%253F',
        'k=__HIVE_DEFAULT_PARTITION__',
        'k=__HIVE_DEFAULT_PARTITION__',
      ].sort(),
    );
    // one directory level per partition column: the `/` of a value never makes a folder
    const keys = (await store.list('t/k=')).map((o) => o.key.split('/').length);
    expect(new Set(keys)).toEqual(new Set([3]));
    const rows = (await table.read()).sort((a, b) => Number(a.v) - Number(b.v));
    expect(rows.map((r) => r.k)).toEqual(['100%', 'a b', 'x/y', 'k=v:1#?', null, null]);
  });

  it('reads an empty partition value of any type as null', () => {
    for (const type of ['string', 'integer', 'long', 'date', 'boolean', 'decimal(18,2)']) {
      expect([type, parsePartitionValue(type, '')]).toEqual([type, null]);
    }
  });
});

describe('string statistics', () => {
  it('order strings by UTF-8 bytes, as Parquet and Spark do', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        const bytes = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
        expect(Math.sign(compareUtf8(a, b))).toBe(bytes);
      }),
      { numRuns: 500 },
    );
    // U+FFFF sorts before U+1F600 in UTF-8, after it in UTF-16 code units
    const stats = JSON.parse(
      statsJson([field('s', 'string')], [{ s: '\u{1F600}' }, { s: '\uFFFF' }]),
    ) as {
      minValues: { s: string };
      maxValues: { s: string };
    };
    expect([stats.minValues.s, stats.maxValues.s]).toEqual(['\uFFFF', '\u{1F600}']);
  });

  it('min and max are the first and last value in UTF-8 byte order, with or without high units', () => {
    // the stats compare natively when no value has a unit from U+D800 up, else by UTF-8 bytes
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 20 }), (values) => {
        const stats = JSON.parse(
          statsJson(
            [field('s', 'string')],
            values.map((s) => ({ s })),
          ),
        ) as { minValues: { s: string }; maxValues: { s: string } };
        const sorted = [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
        expect([stats.minValues.s, stats.maxValues.s]).toEqual([sorted[0], sorted.at(-1)]);
      }),
      { numRuns: 500 },
    );
  });

  it("names the writer in parquet-java's created_by form, so Spark trusts string stats", async () => {
    const file = join(scratch, 'created-by.parquet');
    writeFileSync(file, encodeDataFile([field('s', 'string')], [{ s: 'a' }]));
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const [row] = (
      await db.runAndReadAll(`SELECT created_by FROM parquet_file_metadata('${file}')`)
    ).getRowObjectsJson();
    // parquet-java's VersionParser.FORMAT, matched whole (Matcher.matches)
    const format = /^(.*?)\s+version\s*(?:([^(]*?)\s*(?:\(\s*build\s*([^)]*?)\s*\))?)?$/;
    const m = format.exec(String(row?.created_by));
    expect(m?.[1]).toBe('shop-pipeline');
    expect(m?.[2]).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('columns', () => {
  it('finds a data column whatever its case in the file', () => {
    const bytes = encodeDataFile(
      [field('Sale_Price', 'long'), field('ITEM', 'string')],
      [{ Sale_Price: 5, ITEM: 'a' }],
    );
    const add = {
      path: 'x',
      partitionValues: { Order_Date: '2025-03-01' },
      size: 0,
      modificationTime: 0,
      dataChange: true,
    };
    const fields = [
      field('sale_price', 'long'),
      field('item', 'string'),
      field('order_date', 'date'),
    ];
    expect(rowsOfFile(bytes, add, fields, ['order_date'])).toEqual([
      { sale_price: 5, item: 'a', order_date: '2025-03-01' },
    ]);
  });
});

describe('tables this writer must not write', () => {
  it('refuses to remove files of an append-only table, and still appends to it', async () => {
    const store = new InMemoryObjectStore();
    const table = new DeltaTable(store, 't', {
      ...KV,
      configuration: { 'delta.appendOnly': 'true' },
    });
    await table.commit(null, write([{ k: 'a', v: 1 }]));
    await table.commit(null, write([{ k: 'a', v: 2 }]));
    const files = [...((await table.snapshot())?.files.values() ?? [])];
    await expect(
      table.commit(null, async () => ({
        operation: 'DELETE',
        removes: files,
        writes: [],
        partitions: new Set(),
      })),
    ).rejects.toThrow(/append-only \(delta.appendOnly=true\)/);
    expect((await table.read()).length).toBe(2);
  });

  it('refuses a table with invariants it cannot check', async () => {
    const withInvariant = [
      { ...field('k', 'string') },
      {
        ...field('v', 'long'),
        metadata: { 'delta.invariants': '{"expression":{"expression":"v > 0"}}' },
      },
    ];
    const { table } = await foreignTable(
      { minReaderVersion: 1, minWriterVersion: 2 },
      { schemaString: schemaString(withInvariant) },
    );
    await expect(table.commit(null, write([{ k: 'a', v: -1 }]))).rejects.toThrow(/invariants on v/);
  });

  it('refuses writer features it lacks, naming them, and writes with the ones it honours', async () => {
    const unknown = await foreignTable({
      minReaderVersion: 1,
      minWriterVersion: 7,
      writerFeatures: ['appendOnly', 'deletionVectors', 'rowTracking'],
    });
    await expect(unknown.table.commit(null, write([{ k: 'a', v: 1 }]))).rejects.toThrow(
      /writer features this writer lacks: deletionVectors, rowTracking/,
    );
    const legacy = await foreignTable({ minReaderVersion: 1, minWriterVersion: 3 });
    await expect(legacy.table.commit(null, write([{ k: 'a', v: 1 }]))).rejects.toThrow(
      /checkConstraints/,
    );
    const known = await foreignTable({
      minReaderVersion: 1,
      minWriterVersion: 7,
      writerFeatures: ['appendOnly'],
    });
    await known.table.commit(null, write([{ k: 'a', v: 1 }]));
    expect(await known.table.read()).toEqual([{ k: 'a', v: 1 }]);
  });
});

describe('escaped partitions on disk', () => {
  it('are files DuckDB reads at the decoded path', async () => {
    const dir = mkdtempSync(join(scratch, 'fs-'));
    const table = new DeltaTable(new FileSystemObjectStore(dir), 't', KV);
    await table.commit(null, write([{ k: '100% a/b', v: 7 }]));
    const [add] = (await table.snapshot())?.files.values() ?? [];
    const file = join(dir, 't', decodeURIComponent(String(add?.path)));
    expect(file).toContain('k=100%25 a%2Fb/part-');
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (
      await db.runAndReadAll(`SELECT v FROM read_parquet('${file}')`)
    ).getRowObjectsJson();
    expect(rows).toEqual([{ v: '7' }]);
    expect(await table.read()).toEqual([{ k: '100% a/b', v: 7 }]);
  });
});

describe('a table of another shape', () => {
  it('is refused when a column has another type (double money vs decimal)', async () => {
    const doubleMoney = [field('k', 'string'), field('v', 'double')];
    const { table } = await foreignTable(
      { minReaderVersion: 1, minWriterVersion: 2 },
      { schemaString: schemaString(doubleMoney) },
    );
    await expect(table.commit(null, write([{ k: 'a', v: 1 }]))).rejects.toThrow(/another table/);
  });
});
