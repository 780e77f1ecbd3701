// Money columns are decimal(18,2) in the schemaString, in the Parquet files and in the stats,
// and hold integer cents exactly: our reader and DuckDB's read_parquet agree to the cent.
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { writeCheckpointFor } from '../../../src/adapters/delta/delta-checkpoint-writer.js';
import { encodeDataFile } from '../../../src/adapters/delta/delta-data-file.js';
import { decimalText, unscaledOf } from '../../../src/adapters/delta/delta-decimal.js';
import { rowsOfFile } from '../../../src/adapters/delta/delta-rows.js';
import { field, parseSchemaString } from '../../../src/adapters/delta/delta-schema.js';
import { loadSnapshot } from '../../../src/adapters/delta/delta-snapshot.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';
import { commitOf, order } from './delta-test-support.js';

const scratch = mkdtempSync(join(tmpdir(), 'delta-money-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const MONEY = {
  order_facts: ['sale_price'],
  category_kpis: ['daily_revenue', 'avg_order_value'],
  order_kpis_daily: ['total_revenue'],
};

// prices whose float sum drifts: 0.10, 0.20, 0.30... summed as doubles is not exact
const facts: Fact[] = Array.from({ length: 12 }, (_, o) =>
  order(`m${o}`, o % 3, 7).map((f, i) => ({
    ...f,
    salePriceCents: 10 * (1 + ((o * 7 + i) % 9)) + 1_000_000_07 * (i % 2),
  })),
).flat();

async function built() {
  const store = new InMemoryObjectStore();
  const tables = new DeltaAnalyticsTables(store);
  await tables.commit(commitOf('t1', facts, facts));
  return { store, tables };
}

async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  return (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

async function dataFiles(store: InMemoryObjectStore, table: string): Promise<string[]> {
  const snapshot = await loadSnapshot(store, `delta/${table}`);
  return Promise.all(
    [...snapshot.files.values()].map(async (f, i) => {
      const file = join(scratch, `${table}-${i}.parquet`);
      writeFileSync(file, (await store.get(`delta/${table}/${f.path}`)) ?? new Uint8Array());
      return file;
    }),
  );
}

describe('Delta money columns', () => {
  it('declares every money column decimal(18,2) in the schemaString', async () => {
    const { store } = await built();
    for (const [table, columns] of Object.entries(MONEY)) {
      const { metaData } = await loadSnapshot(store, `delta/${table}`);
      const types = new Map(
        parseSchemaString(metaData.schemaString).fields.map((f) => [f.name, f.type]),
      );
      for (const c of columns)
        expect([table, c, types.get(c)]).toEqual([table, c, 'decimal(18,2)']);
    }
  });

  it('writes INT64 DECIMAL(18,2) Parquet that DuckDB sums exactly, equal to our cents', async () => {
    const { store, tables } = await built();
    for (const [table, columns] of Object.entries(MONEY)) {
      const files = (await dataFiles(store, table)).map((f) => `'${f}'`).join(',');
      const schema = await duck(
        `SELECT name, type, logical_type FROM parquet_schema([${files}]) WHERE name IN (${columns.map((c) => `'${c}'`).join(',')})`,
      );
      expect(schema.length).toBeGreaterThan(0);
      for (const s of schema) {
        expect([s.type, s.logical_type]).toEqual(['INT64', 'DecimalType(scale=2, precision=18)']);
      }
    }
    const files = (await dataFiles(store, 'order_facts')).map((f) => `'${f}'`).join(',');
    const [sum] = await duck(`SELECT SUM(sale_price)::VARCHAR AS s FROM read_parquet([${files}])`);
    const cents = facts.reduce((a, f) => a + f.salePriceCents, 0);
    expect(sum?.s).toBe(decimalText(cents, 2));
    // our reader and DuckDB, row by row, to the cent
    const ours = (await tables.readFacts()).map((f) => `${f.itemId}:${f.salePriceCents}`).sort();
    const theirs = await duck(
      `SELECT item_id, (sale_price * 100)::BIGINT AS c FROM read_parquet([${files}])`,
    );
    expect(theirs.map((r) => `${String(r.item_id)}:${String(r.c)}`).sort()).toEqual(ours);
    expect(ours.map((s) => Number(s.split(':')[1])).sort()).toEqual(
      facts.map((f) => f.salePriceCents).sort(),
    );
  });

  it('keeps the exact decimal in the stats, also through a checkpoint', async () => {
    const { store } = await built();
    const snapshot = await loadSnapshot(store, 'delta/order_facts');
    for (const add of snapshot.files.values()) {
      const stats = JSON.parse(String(add.stats)) as { minValues: { sale_price: number } };
      expect(Number.isInteger(Math.round(stats.minValues.sale_price * 100))).toBe(true);
      expect(String(add.stats)).toMatch(/"sale_price":\d+\.\d\d[,}]/);
    }
    await writeCheckpointFor(store, 'delta/order_facts', snapshot, Date.now());
    const fromCheckpoint = await loadSnapshot(store, 'delta/order_facts');
    expect([...fromCheckpoint.files.values()].map((f) => f.stats)).toEqual(
      [...snapshot.files.values()].map((f) => f.stats),
    );
  });

  it('writes and reads any cents amount exactly (decimal text and Parquet round trips)', () => {
    const cents = fc.integer({ min: -(10 ** 15), max: 10 ** 15 });
    fc.assert(
      fc.property(cents, (c) => {
        expect(unscaledOf(decimalText(c, 2), 2)).toBe(c);
        expect(unscaledOf(String(c / 100), 2)).toBe(c); // a JSON number's text, as stats hold
      }),
    );
    const fields = [field('m', 'decimal(18,2)')];
    const add = { path: 'x', partitionValues: {}, size: 0, modificationTime: 0, dataChange: true };
    fc.assert(
      fc.property(fc.array(fc.option(cents, { nil: null }), { maxLength: 30 }), (values) => {
        const rows = values.map((m) => ({ m }));
        expect(rowsOfFile(encodeDataFile(fields, rows), add, fields, [])).toEqual(rows);
      }),
      { numRuns: 60 },
    );
  });
});
