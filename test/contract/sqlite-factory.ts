// A fresh SQLite state file per test, in a temp dir removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, type SqliteDb } from '../../src/adapters/sqlite/sqlite-database.js';

export const sqliteFactory =
  <P>(make: (db: SqliteDb) => P) =>
  async (): Promise<{ port: P; cleanup: () => Promise<void> }> => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-contract-'));
    const db = openSqlite(join(dir, 'state.db'));
    return {
      port: make(db),
      cleanup: async () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
