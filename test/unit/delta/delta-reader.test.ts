// The reader against tables other Delta writers made (Spark, delta-rs). Expected file lists are
// derived here from the JSON commits by the protocol's add/remove rule, and expected rows are
// read from the remaining Parquet files by DuckDB: two implementations independent of ours.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSystemObjectStore } from '../../../src/adapters/filesystem/filesystem-object-store.js';
import { readRows } from '../../../src/adapters/delta/delta-rows.js';
import { DeltaVersionNotFound, loadSnapshot } from '../../../src/adapters/delta/delta-snapshot.js';
import { sharedFixture } from '../../support/shared-fixtures.js';

const fixtures = sharedFixture('delta');
const fixtureDir = fixtures.path;
const store = new FileSystemObjectStore(fixtureDir);

interface LogLine {
  add?: { path: string; partitionValues: Record<string, string | null> };
  remove?: { path: string };
  metaData?: { schemaString: string; partitionColumns: string[] };
}

const commitsOf = (table: string): Map<number, LogLine[]> => {
  const dir = join(fixtureDir, table, '_delta_log');
  const commits = new Map<number, LogLine[]>();
  for (const name of readdirSync(dir).filter((n) => /^\d{20}\.json$/.test(n))) {
    const lines = readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((l) => l.trim());
    commits.set(
      Number(name.slice(0, 20)),
      lines.map((l) => JSON.parse(l) as LogLine),
    );
  }
  return commits;
};

/** Live files after each version: add inserts the path, remove deletes it. */
const expectedFilesByVersion = (table: string): Map<number, Map<string, LogLine['add']>> => {
  const live = new Map<string, LogLine['add']>();
  const out = new Map<number, Map<string, LogLine['add']>>();
  for (const [version, lines] of [...commitsOf(table)].sort((a, b) => a[0] - b[0])) {
    for (const line of lines) {
      if (line.add) live.set(line.add.path, line.add);
      if (line.remove) live.delete(line.remove.path);
    }
    out.set(version, new Map(live));
  }
  return out;
};

const sorted = (rows: readonly unknown[]): string[] => rows.map((r) => JSON.stringify(r)).sort();

async function duckRows(table: string, files: Map<string, LogLine['add']>): Promise<unknown[]> {
  const meta = [...commitsOf(table).values()].flat().find((l) => l.metaData)?.metaData;
  if (!meta) throw new Error('no metaData');
  const fields = (JSON.parse(meta.schemaString) as { fields: { name: string; type: string }[] })
    .fields;
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const rows: unknown[] = [];
  for (const [path, add] of files) {
    const select = fields
      .filter((f) => !meta.partitionColumns.includes(f.name))
      .map((f) => (f.type === 'timestamp' ? `epoch_ms("${f.name}") AS "${f.name}"` : `"${f.name}"`))
      .join(', ');
    const file = join(fixtureDir, table, decodeURIComponent(path)).replaceAll("'", "''");
    const result = await db.runAndReadAll(`SELECT ${select} FROM read_parquet('${file}')`);
    for (const raw of result.getRowObjectsJson()) {
      const row: Record<string, unknown> = {};
      for (const f of fields) {
        const pv = add?.partitionValues[f.name];
        const v = meta.partitionColumns.includes(f.name) ? (pv ?? null) : (raw[f.name] ?? null);
        const numeric = ['integer', 'long', 'timestamp'].includes(f.type);
        row[f.name] = numeric && v !== null ? Number(v) : v;
      }
      rows.push(row);
    }
  }
  return rows;
}

const TABLES_WITH_DATA = [
  'simple_table',
  'simple_table_with_checkpoint',
  'delta-0.8.0-partitioned',
  'delta-2.2.0-partitioned-types',
  'delta-0.8.0-date',
  'table_with_edge_timestamps',
];

describe.skipIf(!fixtures.present)(
  'delta reader on ../shared/fixtures/delta (skipped when the shared fixtures are absent)',
  () => {
    describe.each(TABLES_WITH_DATA)('%s', (table) => {
      // read in the tests, not here: describe bodies run even when the suite is skipped
      const expectedOf = () => expectedFilesByVersion(table);

      it('has the live file list of every version', async () => {
        for (const [version, files] of expectedOf()) {
          const snapshot = await loadSnapshot(store, table, version);
          expect(snapshot.version).toBe(version);
          expect([...snapshot.files.keys()].sort(), `${table}@${version}`).toEqual(
            [...files.keys()].sort(),
          );
        }
      });

      it('reads the rows of every version', async () => {
        const expected = expectedOf();
        for (const version of expected.keys()) {
          const snapshot = await loadSnapshot(store, table, version);
          const rows = await readRows(store, table, snapshot);
          const want = await duckRows(table, expected.get(version) ?? new Map());
          expect(sorted(rows), `${table}@${version}`).toEqual(sorted(want));
        }
      });
    });

    it('reads the latest version without a version argument', async () => {
      const snapshot = await loadSnapshot(store, 'simple_table');
      expect(snapshot.version).toBe(4); // _delta_log/.tmp/...05.json is not a commit
    });

    it('starts from the checkpoint when the log has no version 0', async () => {
      const snapshot = await loadSnapshot(store, 'checkpoint_with_partitions');
      expect(snapshot.version).toBe(2);
      const adds = [...commitsOf('checkpoint_with_partitions').values()]
        .flat()
        .flatMap((l) => (l.add ? [l.add] : []));
      expect([...snapshot.files.keys()].sort()).toEqual(adds.map((a) => a.path).sort());
      expect(snapshot.metaData.partitionColumns).toEqual(['color']);
      expect(
        [...snapshot.files.values()].map((f) => f.partitionValues.color ?? null).sort(),
      ).toEqual(['red', null].sort());
      await expect(loadSnapshot(store, 'checkpoint_with_partitions', 1)).rejects.toBeInstanceOf(
        DeltaVersionNotFound,
      );
    });

    it('types partition values by the schema', async () => {
      const rows = await readRows(
        store,
        'delta-2.2.0-partitioned-types',
        await loadSnapshot(store, 'delta-2.2.0-partitioned-types'),
      );
      expect(rows.map((r) => [r.c1, r.c2, r.c3]).sort()).toEqual([
        [4, 'c', 5],
        [5, 'b', 6],
        [6, 'a', 4],
      ]);
    });

    it('reads timestamps past the year 2262 and dates', async () => {
      const ts = await readRows(
        store,
        'table_with_edge_timestamps',
        await loadSnapshot(store, 'table_with_edge_timestamps'),
      );
      expect(ts.map((r) => new Date(r.BIG_DATE as number).toISOString()).sort()).toEqual([
        '9999-12-30T00:00:00.000Z',
        '9999-12-31T00:00:00.000Z',
      ]);
      const dates = await readRows(
        store,
        'delta-0.8.0-date',
        await loadSnapshot(store, 'delta-0.8.0-date'),
      );
      expect(dates[0]).toEqual({ date: '2021-01-01', dayOfYear: 1 });
    });
  },
);
