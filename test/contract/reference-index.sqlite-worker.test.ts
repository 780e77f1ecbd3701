// The reference index contract against the worker-backed SQLite index, every landing sent to the
// worker (no size limit, a core always spare; registered whole or, every other landing of the
// property, batch by batch): the worker's connection registers, this thread's answers the reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../src/adapters/sqlite/sqlite-reference-index.js';
import { SqliteWorkerReferenceIndex } from '../../src/adapters/sqlite/sqlite-reference-worker-index.js';
import { describeReferenceIndexContract } from './reference-index.contract.js';

describeReferenceIndexContract('sqlite on a worker thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-worker-contract-'));
  const path = join(dir, 'state.db');
  const db = openSqlite(path);
  const index = new SqliteWorkerReferenceIndex(new SqliteReferenceIndex(db), {
    path,
    minRows: 0,
    spareCore: () => true,
    // one worker for the test's many small landings (a worker per landing: its own test)
    reuseWorker: true,
  });
  return {
    port: index,
    cleanup: async () => {
      await index.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
