// The reference index contract against the worker-backed SQLite index, every landing sent to the
// worker through begin (no size limit, a core always spare; as one batch or, every other landing
// of the property, in batches of 1-3 rows; a landing racing one that has the worker is
// registered inline): the worker's connection registers, this thread's answers the reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../src/adapters/sqlite/sqlite-reference-index.js';
import { SqliteWorkerReferenceIndex } from '../../src/adapters/sqlite/sqlite-reference-worker-index.js';
import type { ReferenceIndex } from '../../src/ports/reference-index.port.js';
import { describeReferenceIndexContract } from './reference-index.contract.js';
import { registerInBatches } from './support/landing-scenarios.js';

describeReferenceIndexContract('sqlite on a worker thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-worker-contract-'));
  const path = join(dir, 'state.db');
  const db = openSqlite(path);
  const index = new SqliteWorkerReferenceIndex(new SqliteReferenceIndex(db), {
    path,
    minBytes: 0,
    spareCore: () => true,
    datasets: ['orders', 'order_items', 'products'],
    // one worker for the test's many small landings (a worker per landing: its own test)
    reuseWorker: true,
  });
  // every register through begin (one batch), so on the worker unless another landing has it
  const port: ReferenceIndex = {
    begin: (dataset, size) => index.begin(dataset, size),
    register: (landing, now) => registerInBatches(index, landing, Number.MAX_SAFE_INTEGER, now),
    pending: () => index.pending(),
    completedCount: () => index.completedCount(),
    filesWhollyCompleted: (keys) => index.filesWhollyCompleted(keys),
    reset: () => index.reset(),
  };
  return {
    port,
    cleanup: async () => {
      await index.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
