// Run by sqlite-reference-worker-index.test.ts as a child process: landings registered through
// the worker, kept for reuse, and no close(): the process must wait for each answer (the worker
// is ref'd while a register waits: top-level await would otherwise end it unanswered) and still
// end by itself afterwards (an idle worker is unref'd).
import { openSqlite } from '../../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-index.js';
import { SqliteWorkerReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-worker-index.js';
import { itemsFile, ordersFile, productsFile } from '../../contract/reference-index.contract.js';
import { registerInBatches } from '../../contract/support/landing-scenarios.js';

const path = process.argv[2] as string;
const index = new SqliteWorkerReferenceIndex(new SqliteReferenceIndex(openSqlite(path)), {
  path,
  minBytes: 0,
  spareCore: () => true,
  datasets: ['orders', 'order_items', 'products'],
  reuseWorker: true,
});
const ids = Array.from({ length: 200 }, (_, o) => `o${o}`);
const items = itemsFile(
  'i.csv',
  ids.map((id) => [`${id}-i`, id, 'p1']),
);
const orders = ordersFile(
  'o.csv',
  ids.map((id) => [id, 1]),
);
await registerInBatches(index, productsFile('p.csv', ['p1']), 64, 1);
await registerInBatches(index, items, 64, 2);
const done = await registerInBatches(index, orders, 64, 3);
console.log(`completed ${done.orderIds.length} orders`);
