// openSqlite's settings: a new state file gets 8 KB pages and in-memory temp tables; a state file
// made before (4 KB pages) opens as it is and keeps working.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../../src/adapters/sqlite/sqlite-database.js';

const dirs: string[] = [];
const fresh = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-database-'));
  dirs.push(dir);
  return join(dir, 'state.db');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('openSqlite', () => {
  it('makes a new file with 8 KB pages, WAL, and temp tables in memory', () => {
    const path = fresh();
    const db = openSqlite(path);
    expect(db.pragma('page_size', { simple: true })).toBe(8192);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('temp_store', { simple: true })).toBe(2); // MEMORY
    db.close();
    // reopened: the file keeps its pages
    const again = openSqlite(path);
    expect(again.pragma('page_size', { simple: true })).toBe(8192);
    again.close();
  });

  it('opens a file made with 4 KB pages as it is, migrates it and writes to it', () => {
    const path = fresh();
    const old = new Database(path);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE before_us (x INTEGER)');
    old.close();
    const db = openSqlite(path);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    db.prepare('INSERT INTO before_us VALUES (1)').run();
    expect(db.prepare('SELECT count(*) AS n FROM before_us').get()).toEqual({ n: 1 });
    db.close();
  });
});
