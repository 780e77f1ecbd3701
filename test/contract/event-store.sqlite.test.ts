import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/adapters/sqlite/sqlite-database.js';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { describeEventStoreContract, landed } from './event-store.contract.js';
import { sqliteFactory } from './sqlite-factory.js';

describeEventStoreContract(
  'sqlite',
  sqliteFactory((db) => new SqliteEventStore(db)),
);

describe('SqliteEventStore on disk', () => {
  it('two handles on one file (two processes) still have one winner per version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-es-'));
    const [a, b] = [openSqlite(join(dir, 's.db')), openSqlite(join(dir, 's.db'))];
    try {
      const [sa, sb] = [new SqliteEventStore(a), new SqliteEventStore(b)];
      const r = await Promise.all([
        sa.append('x', [landed(1)], 0, 't'),
        sb.append('x', [landed(2)], 0, 't'),
      ]);
      expect(r.filter(isRight)).toHaveLength(1);
      expect(await sb.readAll(0)).toHaveLength(1);
      // what one handle wrote, a reopened handle reads back
      a.close();
      const c = openSqlite(join(dir, 's.db'));
      expect((await new SqliteEventStore(c).readStream('x')).map((e) => e.version)).toEqual([1]);
      c.close();
    } finally {
      if (a.open) a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
