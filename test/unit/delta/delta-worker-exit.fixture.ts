// Run by delta-worker-tables.test.ts as a child process: one commit on the worker, its facts read
// back, and no close(): the process must still end by itself (an idle worker is unref'd).
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { DeltaWorkerTables } from '../../../src/adapters/delta/delta-worker-tables.js';
import { FileSystemObjectStore } from '../../../src/adapters/filesystem/filesystem-object-store.js';
import { commitOf, order } from './delta-test-support.js';

const bucket = process.argv[2] as string;
const inline = new DeltaAnalyticsTables(new FileSystemObjectStore(bucket));
const tables = new DeltaWorkerTables(inline, {
  bucket,
  gzipped: [],
  minFacts: 1,
  spareCore: () => true,
});
const facts = Array.from({ length: 206 }, (_, o) => order(String(o), o % 3, 5)).flat();
await tables.commit(commitOf('exit', facts, facts));
console.log(`committed ${(await tables.readFacts()).length} facts`);
