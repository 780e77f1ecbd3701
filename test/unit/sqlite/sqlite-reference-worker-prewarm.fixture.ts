// Run by sqlite-reference-worker-prewarm.test.ts as a child process: the register's worker
// started ahead (prewarm) and never used, and no close(): the process must still end by itself.
import { openSqlite } from '../../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-index.js';
import { SqliteWorkerReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-worker-index.js';

const path = process.argv[2] as string;
const index = new SqliteWorkerReferenceIndex(new SqliteReferenceIndex(openSqlite(path)), {
  path,
  spareCore: () => true,
});
index.prewarm();
console.log('prewarmed');
