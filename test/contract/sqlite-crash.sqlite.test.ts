// A process killed with SIGKILL at any moment leaves the SQLite state whole: every
// registration and every append is there entirely or not at all.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/adapters/sqlite/sqlite-database.js';

const writer = join(import.meta.dirname, 'support', 'sqlite-crash-writer.ts');

const runAndKill = (path: string, afterMs: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), afterMs));
    child.once('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited on its own (${signal})`)),
    );
  });

describe('SQLite state after SIGKILL', () => {
  it('holds only whole transactions, and the writer can carry on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-crash-'));
    const path = join(dir, 'state.db');
    try {
      for (const ms of [0, 37, 113]) {
        await runAndKill(path, ms);
        const db = openSqlite(path);
        try {
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
          const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
          // three events per append, versions 1..3 in each stream
          expect(count('SELECT COUNT(*) AS n FROM events') % 3).toBe(0);
          expect(count('SELECT COUNT(*) AS n FROM events WHERE version NOT IN (1, 2, 3)')).toBe(0);
          // each registered file brought all of its 200 rows
          const files = count(`SELECT COUNT(*) AS n FROM ri_files WHERE dataset = 'orders'`);
          expect(count('SELECT COUNT(*) AS n FROM ri_orders WHERE hash IS NOT NULL')).toBe(
            files * 200,
          );
          const itemFiles = count(
            `SELECT COUNT(*) AS n FROM ri_files WHERE dataset = 'order_items'`,
          );
          expect(count('SELECT COUNT(*) AS n FROM ri_items')).toBe(itemFiles * 200);
          expect(count('SELECT COUNT(*) AS n FROM ri_file_orders')).toBe((files + itemFiles) * 200);
        } finally {
          db.close();
        }
        // the next run starts over from file 0: re-registering must not break anything
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
