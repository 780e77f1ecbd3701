// Vacuum and log cleanup on copies of tables Spark wrote (../shared/fixtures/delta): Spark's file
// names carry no creation time, so only files removed by the log (tombstones) are deleted, and
// the table reads the same rows afterwards.
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUpExpiredLog } from '../../../src/adapters/delta/delta-log-cleanup.js';
import { parseSchemaString } from '../../../src/adapters/delta/delta-schema.js';
import { loadSnapshot } from '../../../src/adapters/delta/delta-snapshot.js';
import { DeltaTable } from '../../../src/adapters/delta/delta-table.js';
import { FileSystemObjectStore } from '../../../src/adapters/filesystem/filesystem-object-store.js';

const repoRoot = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const fixtureDir = join(repoRoot, '..', 'shared', 'fixtures', 'delta');
const scratch = mkdtempSync(join(tmpdir(), 'delta-fixture-maintenance-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function copyOf(table: string) {
  const dir = mkdtempSync(join(scratch, `${table}-`));
  cpSync(join(fixtureDir, table), join(dir, table), { recursive: true });
  const store = new FileSystemObjectStore(dir);
  const { metaData } = await loadSnapshot(store, table);
  const definition = {
    fields: parseSchemaString(metaData.schemaString).fields,
    partitionColumns: metaData.partitionColumns,
  };
  return { dir, store, table: new DeltaTable(store, table, definition) };
}

const sortedRows = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

describe.skipIf(!existsSync(fixtureDir))(
  'maintenance of Spark-written tables (skipped when ../shared/fixtures/delta is absent)',
  () => {
    it('vacuum deletes the files simple_table removed years ago, keeps live ones and the log', async () => {
      const { dir, store, table } = await copyOf('simple_table');
      const snapshot = await loadSnapshot(store, 'simple_table');
      const before = sortedRows(await table.read());
      const report = await table.vacuum();
      expect(report.deleted.length).toBe(snapshot.tombstones.size);
      const left = readdirSync(join(dir, 'simple_table')).filter((n) => n.endsWith('.parquet'));
      const live = [...snapshot.files.keys()];
      const removed = [...snapshot.tombstones.keys()];
      expect(live.every((f) => left.includes(f))).toBe(true);
      expect(removed.some((f) => left.includes(f))).toBe(false);
      // a file the log never mentions has no age Spark's name tells: kept
      expect(report.kept).toBe(left.length - live.length);
      expect(readdirSync(join(dir, 'simple_table', '_delta_log'))).toContain('.tmp');
      expect(sortedRows(await table.read())).toEqual(before);
    });

    it('log cleanup keeps what simple_table_with_checkpoint needs from its checkpoint on', async () => {
      const { store, table } = await copyOf('simple_table_with_checkpoint');
      const snapshot = await loadSnapshot(store, 'simple_table_with_checkpoint');
      const before = sortedRows(await table.read());
      const deleted = await cleanUpExpiredLog(
        store,
        'simple_table_with_checkpoint',
        snapshot,
        Date.now(),
      );
      const names = deleted.map((k) => k.split('/').pop());
      expect(names).toContain('00000000000000000000.json');
      expect(names.every((n) => Number(String(n).slice(0, 20)) < 10)).toBe(true);
      expect(sortedRows(await table.read())).toEqual(before);
    });
  },
);
